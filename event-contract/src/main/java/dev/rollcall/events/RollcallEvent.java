package dev.rollcall.events;

/**
 * The data of every Rollcall event. Each record is immutable, named in the past tense and carries its
 * versioned CloudEvents {@code type}. Additive changes only: a breaking change is a new type version.
 */
public sealed interface RollcallEvent permits WorkstationStateChanged, DeviceStateChanged, AgentHeartbeat,
        SiteConfigured, EmployeeUpdated, DeviceAssigned, DeviceReleased, PresenceHourReported, AgentDowntimeReported,
        AgentEnrolled, AgentRevoked, WorkstationSessionChanged, RealNamesRevealed {

    /** The CloudEvents {@code type} of this record, e.g. {@code rollcall.workstation.state-changed.v1}. */
    String type();

    /** The topic this kind of event is appended to. */
    Topic topic();
}
