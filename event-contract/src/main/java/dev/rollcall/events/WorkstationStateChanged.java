package dev.rollcall.events;

import java.util.Objects;

/**
 * A workstation reported that its user is now {@code working} or {@code stopped}. When it happened is the
 * envelope's {@code time}; the user is also the envelope's {@code subject}.
 *
 * @param user  the login as the workstation knows it, e.g. {@code ACME\jdoe} or {@code jdoe}
 * @param host  the workstation's host name, or {@code null} when the client does not say (work-tracing)
 * @param state the reported state
 */
public record WorkstationStateChanged(String user, String host, WorkstationState state) implements RollcallEvent {

    public static final String TYPE = "rollcall.workstation.state-changed.v1";
    public static final int MAX_USER_LENGTH = 256;
    public static final int MAX_HOST_LENGTH = 255;

    public WorkstationStateChanged {
        Objects.requireNonNull(state, "state");
        user = ContractChecks.requireText("user", user, MAX_USER_LENGTH);
        host = host == null || host.isBlank() ? null : ContractChecks.requireText("host", host, MAX_HOST_LENGTH);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Topic topic() {
        return Topic.WORKSTATION;
    }
}
