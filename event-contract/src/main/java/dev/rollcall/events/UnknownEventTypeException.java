package dev.rollcall.events;

/** A well-formed envelope whose type this version of the contract does not know (e.g. written by a newer producer). */
public class UnknownEventTypeException extends EventDecodingException {

    private final String type;

    public UnknownEventTypeException(String type) {
        super("unknown event type '" + type + "'");
        this.type = type;
    }

    public String type() {
        return type;
    }
}
