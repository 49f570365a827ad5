package dev.rollcall.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A submitted administration form: which one, what was typed (shown again), and a message per field that was
 * wrong (shown next to it). Empty for a fresh page.
 */
public record AdminForm(String name, Map<String, String> values, Map<String, String> errors, String done) {

    public static AdminForm none(String done) {
        return new AdminForm("", Map.of(), Map.of(), done);
    }

    public static AdminForm of(String name) {
        return new AdminForm(name, new LinkedHashMap<>(), new LinkedHashMap<>(), null);
    }

    public AdminForm with(String field, String value) {
        values.put(field, value == null ? "" : value);
        return this;
    }

    public void error(String field, String message) {
        errors.putIfAbsent(field, message);
    }

    public boolean failed() {
        return !errors.isEmpty();
    }

    /** What to show in a field of {@code form}: what was typed there, if that form was the one submitted. */
    public String value(String form, String field) {
        return name.equals(form) ? values.getOrDefault(field, "") : "";
    }

    public String errorOf(String form, String field) {
        return name.equals(form) ? errors.getOrDefault(field, "") : "";
    }
}
