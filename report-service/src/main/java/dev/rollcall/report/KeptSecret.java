package dev.rollcall.report;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * A secret from configuration, else this install's own, made at the first start in a file only this user may
 * read: the session key and the pseudonym key. Too short a secret stops the service.
 */
final class KeptSecret {

    static final int MIN_LENGTH = 32;
    private static final Logger LOG = Logger.getLogger(KeptSecret.class);

    private KeptSecret() {
    }

    static String of(Optional<String> configured, String property, Path file) {
        return of(configured, property, file, "secret", "");
    }

    /**
     * {@code what} names the secret in messages ("pseudonym key"); {@code keepNote} is added to the line that says a
     * new one was made (what losing it would cost).
     */
    static String of(Optional<String> configured, String property, Path file, String what, String keepNote) {
        if (configured.isPresent()) {
            return usable(configured.get(), property);
        }
        try {
            if (!Files.exists(file)) {
                keep(file, what, keepNote);
            }
            return usable(Files.readString(file), "the key in " + file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep a " + what + " in " + file + " (" + e + "): set " + property
                    + " (at least " + MIN_LENGTH + " random characters, e.g. $(openssl rand -base64 33)) or its -file "
                    + "to a writable place", e);
        }
    }

    static String random(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static void keep(Path file, String what, String keepNote) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".secret", ".tmp");
        try {
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(tmp, random(32) + "\n");
            Files.move(tmp, file);
            LOG.infof("made this install's %s in %s%s", what, file, keepNote);
        } catch (FileAlreadyExistsException e) {
            LOG.debugf("another process made %s first", file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String usable(String key, String what) {
        String k = key.strip();
        if (k.length() < MIN_LENGTH) {
            throw new IllegalStateException(what + " is " + (k.isEmpty() ? "empty" : "too short") + ": it needs at least "
                    + MIN_LENGTH + " random characters, e.g. $(openssl rand -base64 33)");
        }
        return k;
    }
}
