package dev.rollcall.agent.ship;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where enrollment keeps the credential: a file only its owner may read ({@code 0600}) in a directory only its
 * owner may enter ({@code 0700}, when enrollment creates it). Prepared before the code is spent (so a path that
 * cannot be written fails before the server hands anything out), written whole or not at all: a temporary file,
 * fsync'd, renamed over the target.
 */
public final class CredentialFile {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;
    private final Path temporary;

    private CredentialFile(Path file, Path temporary) {
        this.file = file;
        this.temporary = temporary;
    }

    /** Refuses an existing credential unless {@code replace}; creates the missing directories owner-only. */
    public static CredentialFile prepare(Path file, boolean replace) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target) && !replace) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a credential is already there; --force replaces it (the old agent keeps working until revoked)");
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } else {
                Files.createDirectories(dir);
            }
        }
        FileAttribute<?>[] ownerOnly = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".agent-credential-", ".tmp", ownerOnly);
        return new CredentialFile(target, tmp);
    }

    public Path path() {
        return file;
    }

    /** Writes the credential and puts it in place. */
    public void commit(AgentCredential credential) throws IOException {
        try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.UTF_8.encode(credential.fileText()));
            ch.force(true);
        }
        if (POSIX) {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (POSIX) {
            try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException notSupported) {
                // the rename is done; a directory fsync is best effort
            }
        }
    }

    /** Nothing was enrolled: leaves no temporary file behind. */
    public void abandon() {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // a stray temporary file is harmless: it holds nothing
        }
    }
}
