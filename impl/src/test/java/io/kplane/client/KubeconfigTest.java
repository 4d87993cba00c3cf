package io.kplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
    @TempDir
    Path dir;

    @Test
    void readsTheCurrentContextsServerTokenAndNamespace() throws IOException {
        Path f = dir.resolve("config");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                current-context: second
                clusters:
                - name: one
                  cluster: {server: https://10.0.0.1:6443}
                - name: two
                  cluster:
                    server: https://127.0.0.1:6443
                    insecure-skip-tls-verify: true
                users:
                - name: admin
                  user: {token: s3cret}
                contexts:
                - name: first
                  context: {cluster: one, user: admin}
                - name: second
                  context: {cluster: two, user: admin, namespace: team}
                """);
        Kubeconfig k = Kubeconfig.read(f);
        assertThat(k.server().toString()).isEqualTo("https://127.0.0.1:6443");
        assertThat(k.insecure()).isTrue();
        assertThat(k.token()).isEqualTo("s3cret");
        assertThat(k.namespace()).isEqualTo("team");
        assertThat(k.tls()).isTrue();
        assertThat(k.toString()).doesNotContain("s3cret");
    }

    @Test
    void caDataIsDecodedAndFilesResolveRelativeToTheKubeconfig() throws IOException {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        Files.writeString(dir.resolve("token"), "tok\n");
        Path f = dir.resolve("config");
        Files.writeString(f, "current-context: c\nclusters:\n- name: k\n  cluster:\n    server: http://127.0.0.1:8080\n"
                + "    certificate-authority-data: " + Base64.getEncoder().encodeToString(pem.getBytes()) + "\n"
                + "users:\n- name: u\n  user: {tokenFile: token}\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\n");
        Kubeconfig k = Kubeconfig.read(f);
        assertThat(k.caPem()).isEqualTo(pem);
        assertThat(k.token()).isEqualTo("tok");
        assertThat(k.namespace()).isEqualTo("default");
        assertThat(k.tls()).isFalse();
    }

    @Test
    void aMissingClusterIsAClearError() throws IOException {
        Path f = dir.resolve("config");
        Files.writeString(f, "current-context: c\ncontexts:\n- name: c\n  context: {cluster: nope, user: u}\n");
        assertThatThrownBy(() -> Kubeconfig.read(f)).isInstanceOf(IOException.class).hasMessageContaining("no cluster named \"nope\"");
        Files.writeString(f, "- just\n- a list\n");
        assertThatThrownBy(() -> Kubeconfig.read(f)).isInstanceOf(IOException.class).hasMessageContaining("not a kubeconfig");
    }
}
