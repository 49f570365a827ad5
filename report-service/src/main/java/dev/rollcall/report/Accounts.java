package dev.rollcall.report;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sign-in accounts in report-service's own table {@code report_account} (db/accounts.sql). Hashing is slow on
 * purpose, so it runs on a worker thread, never on the event loop. At start, when no admin exists and a first-admin
 * password is configured, that admin is created; there is no default password.
 */
@ApplicationScoped
public class Accounts {

    public record Account(String username, Role role, String passwordHash) {
    }

    public record Listed(String username, String role, String createdBy) {
    }

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    private static final Logger LOG = Logger.getLogger(Accounts.class);

    private final Pool pool;
    private final ReportConfig.Auth config;

    public Accounts(Pool pool, ReportConfig config) {
        this.pool = pool;
        this.config = config.auth();
    }

    void onStart(@Observes StartupEvent start) {
        pool.query(ddl()).execute().await().indefinitely();
        Optional<String> password = firstAdminPassword();
        if (password.isEmpty()) {
            return;
        }
        boolean anyAdmin = pool.query("SELECT 1 FROM report_account WHERE role = 'admin' LIMIT 1").execute()
                .await().indefinitely().size() > 0;
        if (!anyAdmin) {
            create(config.firstAdmin(), Role.ADMIN, password.get(), "first-admin").await().indefinitely();
            LOG.infof("created the first admin account '%s'", config.firstAdmin());
        }
    }

    private Optional<String> firstAdminPassword() {
        return firstAdminPassword(config.firstAdminPassword(), config.firstAdminPasswordFile());
    }

    /**
     * The configured first admin's password, held to the rules of the admin's account form: a weak one stops the
     * start with what to change rather than leave an admin account anyone could guess.
     */
    static Optional<String> firstAdminPassword(Optional<String> value, Optional<java.nio.file.Path> file) {
        String source = "report.auth.first-admin-password (REPORT_AUTH_FIRST_ADMIN_PASSWORD)";
        Optional<String> password = value.map(String::strip);
        if (password.isEmpty() && file.isPresent() && Files.exists(file.get())) {
            java.nio.file.Path f = file.get();
            source = "report.auth.first-admin-password-file " + f;
            try {
                password = Optional.of(Files.readString(f).strip());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read report.auth.first-admin-password-file " + f + ": " + e.getMessage(), e);
            }
        }
        String weak = password.map(PasswordHash::weakness).orElse(null);
        if (weak != null) {
            throw new IllegalStateException("the first admin's password from " + source + " is too weak: it must have "
                    + weak + "; set a longer one (make run writes a random one to data/admin-password)");
        }
        return password;
    }

    private static String ddl() {
        try (InputStream in = Accounts.class.getResourceAsStream("/db/accounts.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Uni<Optional<Account>> find(String username) {
        return pool.preparedQuery("SELECT username, role, password_hash FROM report_account WHERE username = $1")
                .execute(Tuple.of(username))
                .map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(new Account(r.getString("username"), Role.fromWire(r.getString("role")),
                                r.getString("password_hash")));
                    }
                    return Optional.empty();
                });
    }

    /** The account if {@code password} is right; the hash is compared on a worker thread. */
    public Uni<Optional<Account>> verify(String username, String password) {
        return find(username).emitOn(Infrastructure.getDefaultWorkerPool())
                .map(a -> a.filter(acc -> PasswordHash.matches(password, acc.passwordHash())));
    }

    /** Creates an account; false when the name is taken. Validate with {@link #problems} first. */
    public Uni<Boolean> create(String username, Role role, String password, String createdBy) {
        return Uni.createFrom().item(() -> PasswordHash.hash(password, config.passwordIterations()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(hash -> pool.preparedQuery("INSERT INTO report_account (username, role, password_hash, created_by) "
                                + "VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING")
                        .execute(Tuple.of(username, role.wire(), hash, createdBy)))
                .map(r -> r.rowCount() == 1);
    }

    public Uni<List<Listed>> list() {
        return pool.query("SELECT username, role, created_by FROM report_account ORDER BY username").execute().map(rows -> {
            List<Listed> out = new ArrayList<>();
            rows.forEach(r -> out.add(new Listed(r.getString("username"), r.getString("role"), r.getString("created_by"))));
            return out;
        });
    }

    public static String usernameProblem(String username) {
        return username != null && USERNAME.matcher(username).matches() ? null
                : "1 to 64 of a-z, 0-9, . _ @ -, starting with a letter or digit";
    }
}
