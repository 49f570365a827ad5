package dev.rollcall.agent.workstation;

import java.util.Map;

/** Who is working, as work-tracing named them: {@code DOMAIN\name} on Windows, the login name elsewhere. */
final class LocalUser {

    private LocalUser() {
    }

    static String of(String osName, Map<String, String> env, String javaUserName) {
        if (osName != null && osName.startsWith("Windows")) {
            String name = blankToNull(env.get("USERNAME"));
            if (name == null) {
                name = javaUserName;
            }
            String domain = blankToNull(env.get("USERDOMAIN"));
            return domain == null ? name : domain + "\\" + name;
        }
        return javaUserName; // the password database's name for this process's uid, not a spoofable $USER
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
