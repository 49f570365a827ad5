package dev.rollcall.events;

import java.util.regex.Pattern;

/** The few invariants every event shares; violations are {@link IllegalArgumentException}s with a readable message. */
final class ContractChecks {

    private static final Pattern SITE_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62})");

    private ContractChecks() {
    }

    static String requireText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        String v = value.strip();
        if (v.length() > maxLength) {
            throw new IllegalArgumentException(field + " is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw new IllegalArgumentException(field + " contains control characters");
            }
        }
        return v;
    }

    static String requireSiteId(String site) {
        if (site == null || !SITE_ID.matcher(site).matches()) {
            throw new IllegalArgumentException(
                    "site must be 1 to 63 lowercase letters, digits or '-', starting with a letter or digit");
        }
        return site;
    }
}
