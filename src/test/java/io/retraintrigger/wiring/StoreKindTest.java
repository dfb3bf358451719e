package io.retraintrigger.wiring;

import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.RetrainConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** retrain.store.kind picks the store adapter; anything else stops the service naming the key. */
class StoreKindTest {

    private static RetrainConfig withKind(String kind) {
        RetrainConfig.Store store = (RetrainConfig.Store) Proxy.newProxyInstance(StoreKindTest.class.getClassLoader(),
                new Class<?>[] {RetrainConfig.Store.class}, (p, m, a) -> {
                    if (m.getName().equals("kind")) return kind;
                    throw new UnsupportedOperationException(m.getName());
                });
        return (RetrainConfig) Proxy.newProxyInstance(StoreKindTest.class.getClassLoader(), new Class<?>[] {RetrainConfig.class},
                (p, m, a) -> {
                    if (m.getName().equals("store")) return store;
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void knownKinds() {
        assertEquals("jdbc", Producers.storeKind(withKind("jdbc")));
        assertEquals("dynamodb", Producers.storeKind(withKind("dynamodb")));
    }

    @Test
    void unknownKindNamesTheKey() {
        ConfigurationError e = assertThrows(ConfigurationError.class, () -> Producers.storeKind(withKind("cassandra")));
        assertTrue(e.getMessage().startsWith("invalid configuration retrain.store.kind: unknown store 'cassandra'"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc, dynamodb"), e.getMessage());
    }

    @Test
    void theJdbcDataSourceIsOnlyForJdbc() {
        ConfigurationError e = assertThrows(ConfigurationError.class, () -> new Producers().dataSource(withKind("dynamodb")));
        assertTrue(e.getMessage().startsWith("invalid configuration retrain.store.kind:"), e.getMessage());
    }
}
