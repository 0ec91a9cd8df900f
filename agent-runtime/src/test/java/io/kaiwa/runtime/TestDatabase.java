package io.kaiwa.runtime;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The service's database as a test reaches it from outside, with plain JDBC: so that the same test runs against the
 * packaged service, and so that what it writes arrives as another instance's writes would.
 */
public final class TestDatabase {
    private TestDatabase() {
    }

    /**
     * @return a connection to the service's database; close it
     * @throws SQLException when it cannot connect
     */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(TestUpstreams.jdbcUrl, "postgres", "");
    }

    /**
     * @param sql a query whose first column is a number
     * @param params its parameters
     * @return that number in the first row
     */
    public static long number(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs statements in one transaction.
     *
     * @param statements the statements, with their parameters
     */
    public static void transaction(Statement... statements) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            for (Statement st : statements) {
                try (PreparedStatement s = c.prepareStatement(st.sql())) {
                    for (int i = 0; i < st.params().length; i++) {
                        s.setObject(i + 1, st.params()[i]);
                    }
                    s.execute();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One SQL statement and its parameters.
     *
     * @param sql the statement
     * @param params its parameters, in order
     */
    public record Statement(String sql, Object... params) {
    }
}
