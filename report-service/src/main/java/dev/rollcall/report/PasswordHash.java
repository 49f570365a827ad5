package dev.rollcall.report;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Slow password hashes: PBKDF2-HMAC-SHA256 from the JDK, {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}. The
 * iteration count is stored with each hash, so raising it later leaves old hashes verifiable. (Argon2id would be
 * memory-hard as well; see the README for why it is PBKDF2 here.) Pure and thread-safe.
 */
final class PasswordHash {

    static final String SCHEME = "pbkdf2-sha256";
    static final int MIN_PASSWORD_LENGTH = 12;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    static String hash(String password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Whether {@code password} is the one behind {@code stored}; a malformed hash matches nothing. */
    static boolean matches(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Why a new password is refused, or null when it may be used. */
    static String weakness(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            return "at least " + MIN_PASSWORD_LENGTH + " characters";
        }
        if (password.length() > 200) {
            return "at most 200 characters";
        }
        return null;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }
}
