package dev.rollcall.events;

import java.util.Objects;

/**
 * Something happened to the user's session on a workstation: logon, logoff, lock, unlock, suspend, resume, boot
 * or shutdown. When is the envelope's {@code time}; the user is also the envelope's {@code subject}. A record of
 * the session's course: the agent that sends it also sends the {@link WorkstationStateChanged} it implies (a lock
 * is followed by {@code stopped}), so a reader of working time may ignore these.
 *
 * @param user the login as the workstation knows it, e.g. {@code ACME\jdoe} or {@code jdoe}
 * @param host the workstation's host name, or {@code null} when unknown
 * @param kind what happened
 */
public record WorkstationSessionChanged(String user, String host, WorkstationSessionKind kind) implements RollcallEvent {

    public static final String TYPE = "rollcall.workstation.session-changed.v1";

    public WorkstationSessionChanged {
        Objects.requireNonNull(kind, "kind");
        user = ContractChecks.requireText("user", user, WorkstationStateChanged.MAX_USER_LENGTH);
        host = host == null || host.isBlank() ? null
                : ContractChecks.requireText("host", host, WorkstationStateChanged.MAX_HOST_LENGTH);
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
