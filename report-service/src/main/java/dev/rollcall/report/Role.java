package dev.rollcall.report;

import java.util.List;
import java.util.Set;

/**
 * What an account may do. Each role includes the ones before it: {@code viewer} reads pages under pseudonyms,
 * {@code hr} may also reveal real names (audited), {@code admin} may also administer the roster and accounts.
 */
public enum Role {
    VIEWER, HR, ADMIN;

    public static final String VIEWER_NAME = "viewer";
    public static final String HR_NAME = "hr";
    public static final String ADMIN_NAME = "admin";

    public String wire() {
        return name().toLowerCase();
    }

    /** The groups a session of this role carries: its own and every lesser role's. */
    public Set<String> groups() {
        return switch (this) {
            case VIEWER -> Set.of(VIEWER_NAME);
            case HR -> Set.of(VIEWER_NAME, HR_NAME);
            case ADMIN -> Set.of(VIEWER_NAME, HR_NAME, ADMIN_NAME);
        };
    }

    public static Role fromWire(String s) {
        for (Role r : values()) {
            if (r.wire().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of " + List.of("viewer", "hr", "admin"));
    }
}
