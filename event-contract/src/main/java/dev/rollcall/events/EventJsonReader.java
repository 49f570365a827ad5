package dev.rollcall.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.rollcall.events.EventFields.DataField;
import dev.rollcall.events.EventFields.LeftToTree;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an event in one pass of Jackson's streaming parser straight into the records: no tree, and instants read
 * by {@link IsoInstant}. It only decodes what it can decode. On anything else (malformed JSON, a missing, null or
 * mistyped field, a value a record refuses, an unknown type) it returns null, and {@link EventCodec} decodes the
 * input again over the tree, which stays the one place that decides and words rejections. Bad events are rare, so
 * reading them twice costs nothing that matters.
 *
 * <p>What it accepts, the tree path accepts too, as an equal envelope: it parses with the same mapper, stops after the
 * root object as {@code readTree} does (trailing content is ignored by both), reads every string and number on the
 * way as {@code readTree} does (so the parser's limits fail both), lets the last of duplicate keys win, and builds
 * the records with the same checks and constructors. Field order does not matter: data fields are kept by name until
 * the whole envelope, and so its type, has been read.
 */
final class EventJsonReader {

    private EventJsonReader() {
    }

    /** The event in {@code json}, or null when it is left to the tree path. */
    static EventEnvelope read(byte[] json) {
        try (JsonParser p = EventCodec.MAPPER.createParser(json)) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            // LeftToTree, the parser's errors and the records' refusals alike: the tree path decides again.
            return null;
        }
    }

    private static EventEnvelope read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw LeftToTree.INSTANCE;
        }
        EventFields f = new EventFields();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "specversion" -> f.spec = text(p, value);
                case "id" -> f.id = text(p, value);
                case "type" -> f.type = text(p, value);
                case "source" -> f.source = text(p, value);
                case "time" -> f.time = text(p, value);
                case "site" -> f.site = text(p, value);
                case "subject" -> f.subject = text(p, value);
                case "data" -> data(p, value, f);
                default -> skip(p, value);
            }
        }
        return f.toEnvelope();
    }

    /** An envelope attribute: a string, or null for JSON null. */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw LeftToTree.INSTANCE;
        };
    }

    private static void data(JsonParser p, JsonToken t, EventFields f) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw LeftToTree.INSTANCE;
        }
        Object[] data = f.newData();
        for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            DataField field = DataField.named(p.currentName());
            JsonToken value = p.nextToken();
            if (field == null) {
                skip(p, value);
            } else {
                data[field.ordinal()] = value(p, value);
            }
        }
    }

    /** A data field's value: a String, Long, Boolean, String[], {@link EventFields#NULL} or {@link EventFields#OTHER}. */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue() instanceof BigInteger ? EventFields.OTHER : (Object) p.getLongValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> EventFields.NULL;
            case START_ARRAY -> strings(p);
            default -> {
                skip(p, t);
                yield EventFields.OTHER;
            }
        };
    }

    /** The array's items as a String[], or {@link EventFields#OTHER} when one of them is not a string. */
    private static Object strings(JsonParser p) throws IOException {
        List<String> items = new ArrayList<>();
        boolean onlyStrings = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                items.add(p.getText());
            } else {
                onlyStrings = false;
                skip(p, t);
            }
        }
        return onlyStrings ? items.toArray(String[]::new) : EventFields.OTHER;
    }

    /**
     * Reads past the value that starts with {@code t}. Its strings and numbers are read, not skipped, because
     * {@code readTree} reads them, and reading is where the parser applies some of its limits (a string's length).
     */
    private static void skip(JsonParser p, JsonToken t) throws IOException {
        int depth = 0;
        do {
            if (t == null) {
                throw LeftToTree.INSTANCE;
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
                default -> {
                }
            }
            if (depth > 0) {
                t = p.nextToken();
            }
        } while (depth > 0);
    }
}
