package dev.rollcall.agent.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's bearer credential, {@code <agentId>.<secret>}, as enrollment stores it in a file. The agent id
 * (before the first dot) names the agent in its events; the whole string is the bearer token. Never printed.
 * <p>
 * The file's first line is the credential; then, since agents renew their credentials, {@code issued-at=<instant>}
 * and {@code expires-at=<instant>|never}. A one-line file (of an older agent) has an unknown lifetime.
 */
public final class AgentCredential {

    /**
     * When the agent received the credential (its own clock) and when the server said it expires (null: never).
     */
    public record Lifetime(Instant issuedAt, Instant expiresAt) {
        public Lifetime {
            Objects.requireNonNull(issuedAt, "issuedAt");
        }
    }

    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]{1,128})\\.([\\x21-\\x7e]{1,4096})");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final String agentId;
    private final String token;
    private final Lifetime lifetime;

    private AgentCredential(String agentId, String token, Lifetime lifetime) {
        this.agentId = agentId;
        this.token = token;
        this.lifetime = lifetime;
    }

    /** The same credential with its lifetime known. */
    public AgentCredential withLifetime(Lifetime lifetime) {
        return new AgentCredential(agentId, token, Objects.requireNonNull(lifetime));
    }

    /** Empty when not known (a one-line file of an older agent). */
    public Optional<Lifetime> lifetime() {
        return Optional.ofNullable(lifetime);
    }

    /** What the credential file holds: the credential, then its lifetime when known. */
    String fileText() {
        StringBuilder b = new StringBuilder(token).append('\n');
        if (lifetime != null) {
            b.append("issued-at=").append(lifetime.issuedAt()).append('\n');
            b.append("expires-at=").append(lifetime.expiresAt() == null ? "never" : lifetime.expiresAt().toString()).append('\n');
        }
        return b.toString();
    }

    /** The credential file's text: the credential's line, then optional {@code key=value} lines of its lifetime. */
    static AgentCredential parseFile(String text) {
        List<String> lines = (text == null ? "" : text).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        AgentCredential c = parse(lines.isEmpty() ? "" : lines.getFirst());
        Instant issued = null;
        Instant expires = null;
        boolean never = false;
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            try {
                switch (key) {
                    case "issued-at" -> issued = Instant.parse(value);
                    case "expires-at" -> {
                        never = value.equals("never");
                        expires = never ? null : Instant.parse(value);
                    }
                    default -> { } // a later version's line: not ours to judge
                }
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("the line '" + key + "=…' is not an ISO-8601 instant");
            }
        }
        return issued != null && (expires != null || never) ? c.withLifetime(new Lifetime(issued, expires)) : c;
    }

    public static AgentCredential parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("the credential must be one line '<agentId>.<secret>' "
                    + "(agent id: letters, digits, '-' or '_'; secret: printable, no spaces)");
        }
        return new AgentCredential(m.group(1), m.group(0), null);
    }

    /**
     * Reads the credential from {@code file}, refusing a file that others than its owner may read or write
     * (on POSIX file systems; Windows protects it with the ACL of the service's folder).
     */
    public static AgentCredential read(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
            open.addAll(perms);
            open.retainAll(GROUP_OR_OTHERS);
            if (!open.isEmpty()) {
                throw new IllegalArgumentException("the credential file " + file + " is accessible to others than "
                        + "its owner (" + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
            }
        }
        try {
            return parseFile(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public String agentId() {
        return agentId;
    }

    /** The value after {@code Bearer } in the Authorization header. */
    String bearerToken() {
        return token;
    }

    @Override
    public String toString() {
        return "AgentCredential[" + agentId + ".***]";
    }
}
