package dev.firebreak.probe.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a database's connections come from: the driver for a configured URL, or a given DataSource. */
@FunctionalInterface
public interface ConnectionSource {

    Connection open() throws SQLException;

    static ConnectionSource of(javax.sql.DataSource dataSource) {
        return dataSource::getConnection;
    }
}
