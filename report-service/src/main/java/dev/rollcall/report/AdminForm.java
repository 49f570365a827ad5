package dev.rollcall.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A submitted administration form: which one, what was typed (shown again), and a message per field that was
 * wrong (shown next to it). Empty for a fresh page. {@code edit}: the form edits an existing site, employee or
 * device (filled with its current values, its id read-only), rather than adding one.
 */
public record AdminForm(String name, Map<String, String> values, Map<String, String> errors, String done, boolean edit) {

    public static AdminForm none(String done) {
        return new AdminForm("", Map.of(), Map.of(), done, false);
    }

    public static AdminForm of(String name) {
        return new AdminForm(name, new LinkedHashMap<>(), new LinkedHashMap<>(), null, false);
    }

    /** {@code editing}: the form's hidden {@code edit} field, sent by the edit form only. */
    public static AdminForm of(String name, String editing) {
        return new AdminForm(name, new LinkedHashMap<>(), new LinkedHashMap<>(), null, "1".equals(editing));
    }

    /** The edit form of {@code name}: fill it with {@link #with}. */
    public static AdminForm editOf(String name) {
        return of(name, "1");
    }

    /** Whether {@code form} is shown as the edit of an existing one. */
    public boolean editing(String form) {
        return edit && name.equals(form);
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
