package dev.rollcall.ingest;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * What enrollment hands out. A code is 20 symbols of a 32-letter alphabet without look-alikes (100 bits),
 * written in groups of five to be read over the phone; the server keeps its SHA-256. An agent id is the site
 * and 8 random symbols; a secret 32 random bytes (base64url). Secrets and codes are long random strings, so
 * a plain SHA-256 (not a slow password hash) is enough to make a stolen table useless.
 */
public final class EnrollmentCodes {

    static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    static final int CODE_LENGTH = 20;
    private static final String ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private EnrollmentCodes() {
    }

    /** A fresh code, e.g. {@code K7QM2-XN4PD-R8WZT-3HJ6B-...} (four groups of five). */
    public static String newCode() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < CODE_LENGTH; i++) {
            if (i > 0 && i % 5 == 0) {
                b.append('-');
            }
            b.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return b.toString();
    }

    /** The code as typed (any case, with or without dashes and spaces) in its one canonical form, if it is one. */
    public static Optional<String> normalise(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String c = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (c.length() != CODE_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < c.length(); i++) {
            if (CODE_ALPHABET.indexOf(c.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(c);
    }

    public static byte[] hash(String canonicalCode) {
        return AgentCredentials.sha256(canonicalCode);
    }

    public static String newAgentId(String site) {
        StringBuilder b = new StringBuilder(site).append('-');
        for (int i = 0; i < 8; i++) {
            b.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return b.toString();
    }

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
