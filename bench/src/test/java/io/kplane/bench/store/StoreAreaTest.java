package io.kplane.bench.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreAreaTest {

    @Test
    void blankOpsSelectsEveryWorkloadInTheUsualOrder() {
        assertThat(StoreArea.selectedOps("")).containsExactly(StoreClient.Op.values());
    }

    @Test
    void opsParameterSelectsWorkloadsByNameInTheUsualOrder() {
        assertThat(StoreArea.selectedOps("txn, put")).containsExactly(StoreClient.Op.PUT, StoreClient.Op.TXN);
        assertThat(StoreArea.selectedOps("get-linearizable")).containsExactly(StoreClient.Op.GET_LINEARIZABLE);
    }

    @Test
    void unknownWorkloadNameIsAClearError() {
        assertThatThrownBy(() -> StoreArea.selectedOps("put,puts"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("put, get-linearizable, get-serializable, txn");
    }
}
