package dev.rollcall.agent.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's bearer credential, {@code <agentId>.<secret>}, as enrollment stores it in a file. The agent id
 * (before the first dot) names the agent in its events; the whole string is the bearer token. Never printed.
 */
public final class AgentCredential {

    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]{1,128})\\.([\\x21-\\x7e]{1,4096})");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final String agentId;
    private final String token;

    private AgentCredential(String agentId, String token) {
        this.agentId = agentId;
        this.token = token;
    }

    public static AgentCredential parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("the credential must be one line '<agentId>.<secret>' "
                    + "(agent id: letters, digits, '-' or '_'; secret: printable, no spaces)");
        }
        return new AgentCredential(m.group(1), m.group(0));
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
            return parse(Files.readString(file, StandardCharsets.UTF_8));
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
