package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Strategic merge patch semantics for the lists kubectl apply touches, JSON merge patch and JSON patch. */
class StrategicMergePatchTest {

  static JsonNode j(String s) throws Exception {
    return Registry.JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void containersMergeByNameAndKeepUnpatchedFields() throws Exception {
    JsonNode target = j("{'spec':{'containers':[{'name':'a','image':'x:1','env':[{'name':'E','value':'1'}]},{'name':'b','image':'y:1'}]}}");
    JsonNode out = StrategicMergePatch.apply(target, j("{'spec':{'containers':[{'name':'a','image':'x:2'}]}}"));
    assertThat(out).isEqualTo(j("{'spec':{'containers':[{'name':'a','image':'x:2','env':[{'name':'E','value':'1'}]},{'name':'b','image':'y:1'}]}}"));
  }

  @Test
  void deleteDirectivesAndNullsRemove() throws Exception {
    JsonNode target = j("{'metadata':{'labels':{'a':'1','b':'2'},'finalizers':['f1','f2']},"
        + "'spec':{'containers':[{'name':'a','ports':[{'containerPort':80},{'containerPort':81}]},{'name':'b'}]}}");
    JsonNode out = StrategicMergePatch.apply(target, j("{'metadata':{'labels':{'b':null},'$deleteFromPrimitiveList/finalizers':['f1']},"
        + "'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'b','$patch':'delete'},"
        + "{'name':'a','ports':[{'containerPort':81,'$patch':'delete'}]}]}}"));
    assertThat(out).isEqualTo(j("{'metadata':{'labels':{'a':'1'},'finalizers':['f2']},'spec':{'containers':[{'name':'a','ports':[{'containerPort':80}]}]}}"));
  }

  @Test
  void listsWithoutAMergeKeyAreReplacedAndFinalizersMergeAsASet() throws Exception {
    JsonNode target = j("{'metadata':{'finalizers':['a']},'spec':{'containers':[{'name':'c','args':['1','2']}],'tolerations':[{'key':'k'}]}}");
    JsonNode out = StrategicMergePatch.apply(target, j("{'metadata':{'finalizers':['a','b']},"
        + "'spec':{'containers':[{'name':'c','args':['3']}],'tolerations':[{'key':'z'}]}}"));
    assertThat(out).isEqualTo(j("{'metadata':{'finalizers':['a','b']},'spec':{'containers':[{'name':'c','args':['3']}],'tolerations':[{'key':'z'}]}}"));
  }

  @Test
  void servicePortsMergeByPortAndRetainKeysDropsTheRest() throws Exception {
    JsonNode target = j("{'spec':{'ports':[{'port':80,'targetPort':8080,'name':'http'}],'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");
    JsonNode out = StrategicMergePatch.apply(target, j("{'spec':{'ports':[{'port':80,'targetPort':9090}],"
        + "'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':null}}}"));
    assertThat(out).isEqualTo(j("{'spec':{'ports':[{'port':80,'targetPort':9090,'name':'http'}],'strategy':{'type':'Recreate'}}}"));
  }

  @Test
  void mergePatchAndJsonPatch() throws Exception {
    assertThat(JsonMergePatch.apply(j("{'a':{'b':1,'c':2},'l':[1,2]}"), j("{'a':{'b':null,'d':3},'l':[3]}")))
        .isEqualTo(j("{'a':{'c':2,'d':3},'l':[3]}"));
    assertThat(JsonPatch.apply(j("{'a':[1,2],'b':{'c':1}}"), j("[{'op':'add','path':'/a/-','value':3},{'op':'remove','path':'/b/c'},"
        + "{'op':'replace','path':'/a/0','value':0},{'op':'copy','from':'/a','path':'/d'},{'op':'test','path':'/d/2','value':3}]")))
        .isEqualTo(j("{'a':[0,2,3],'b':{},'d':[0,2,3]}"));
    try {
      JsonPatch.apply(j("{'a':1}"), j("[{'op':'test','path':'/a','value':2}]"));
      throw new AssertionError("a failed test op must fail the patch");
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(422);
    }
  }
}
