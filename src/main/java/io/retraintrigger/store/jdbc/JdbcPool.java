package io.retraintrigger.store.jdbc;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** A connection pool for the state store, built at runtime from a JDBC URL (H2 or PostgreSQL). */
public final class JdbcPool {
    private JdbcPool() {
    }

    /** The JDBC driver of a supported URL, named explicitly (DriverManager lookup is class-loader dependent). */
    public static String driverOf(String url) {
        if (url.startsWith("jdbc:h2:")) return "org.h2.Driver";
        if (url.startsWith("jdbc:postgresql:")) return "org.postgresql.Driver";
        throw new IllegalArgumentException("only jdbc:h2: and jdbc:postgresql: URLs are supported, was '" + url + "'");
    }

    public static AgroalDataSource open(String url, String username, String password, int maxSize) throws SQLException {
        Map<String, String> props = new HashMap<>();
        props.put(AgroalPropertiesReader.JDBC_URL, url);
        props.put(AgroalPropertiesReader.PROVIDER_CLASS_NAME, driverOf(url));
        props.put(AgroalPropertiesReader.MAX_SIZE, Integer.toString(maxSize));
        props.put(AgroalPropertiesReader.MIN_SIZE, "1");
        props.put(AgroalPropertiesReader.INITIAL_SIZE, "1");
        props.put(AgroalPropertiesReader.ACQUISITION_TIMEOUT_S, "10");
        if (username != null) props.put(AgroalPropertiesReader.PRINCIPAL, username);
        if (password != null) props.put(AgroalPropertiesReader.CREDENTIAL, password);
        return AgroalDataSource.from(new AgroalPropertiesReader().readProperties(props).get());
    }
}
