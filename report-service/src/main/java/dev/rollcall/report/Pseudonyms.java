package dev.rollcall.report;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Stable pseudonyms for employees, so that pages can be shown before sign-in exists (issue 7): an HMAC-SHA256
 * of site and employee id under a secret key, its first 30 bits in Crockford's base 32. The same employee keeps
 * the same pseudonym across pages, days and restarts, and nobody without the key can link it to an employee.
 * The key is {@code report.pseudonym-key}, or this install's own, made at its first start and kept in
 * {@code report.pseudonym-key-file}. Created at start, so that a key problem stops the service at once and says why.
 */
@Startup
@ApplicationScoped
public class Pseudonyms {

    static final int MIN_KEY_LENGTH = KeptSecret.MIN_LENGTH;
    private static final String ALGORITHM = "HmacSHA256";
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Logger LOG = Logger.getLogger(Pseudonyms.class);

    private final SecretKeySpec key;

    @Inject
    public Pseudonyms(ReportConfig config) {
        this(key(config.pseudonymKey(), config.pseudonymKeyFile()));
        if (config.showRealNames()) {
            LOG.warn("report.show-real-names is no longer honoured: hr and admin reveal real names per page, audited");
        }
    }

    Pseudonyms(String key) {
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The configured key, else the one kept in {@code file} (made there the first time). */
    static String key(Optional<String> configured, Path file) {
        return KeptSecret.of(configured, "report.pseudonym-key", file, "pseudonym key",
                ": keep it, a new key gives every employee a new pseudonym");
    }

    /** {@code K7QX2M}: the same for the same site and employee id, as long as the key stays. */
    public String of(String site, String employeeId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] h = mac.doFinal((site + '\0' + employeeId).getBytes(StandardCharsets.UTF_8));
            long bits = ((h[0] & 0xffL) << 24 | (h[1] & 0xffL) << 16 | (h[2] & 0xffL) << 8 | (h[3] & 0xffL)) >>> 2;
            char[] code = new char[6];
            for (int i = code.length - 1; i >= 0; i--, bits >>>= 5) {
                code[i] = BASE32[(int) (bits & 31)];
            }
            return new String(code);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    /**
     * An employee as the pages may show them: under their pseudonym, or with their name and id when this request
     * revealed real names ({@code name} null: not in the roster, so the pseudonym stands in).
     */
    public Employee employee(String site, String employeeId, String name) {
        return employee(site, employeeId, name, showsRealNames());
    }

    Employee employee(String site, String employeeId, String name, boolean realNames) {
        String pseudonym = of(site, employeeId);
        if (!realNames) {
            return new Employee("Employee " + pseudonym, pseudonym, null, null);
        }
        return new Employee(name == null || name.isBlank() ? "Employee " + pseudonym : name, pseudonym, employeeId, name);
    }

    /**
     * A workstation user name ({@code ACME\\jdoe}) as pages may show it: {@code User 4KD9QZ} (an HMAC of site and
     * user name, apart from employees' by a prefix), or the name itself in a revealed request.
     */
    public String user(String site, String username) {
        return showsRealNames() ? username : "User " + of(site, "workstation-user\0" + username);
    }

    /**
     * A device's label as pages may show it: labels are free text an admin typed ("Grace's phone") and so may name
     * the person; they are shown only in a revealed request, like names.
     */
    public String deviceLabel(String label) {
        return showsRealNames() ? label : null;
    }

    /** Whether this request shows real names: only after an audited reveal by hr or admin ({@link Disclosure}). */
    public boolean showsRealNames() {
        return Disclosure.realNames();
    }
}
