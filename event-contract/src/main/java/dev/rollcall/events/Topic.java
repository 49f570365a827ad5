package dev.rollcall.events;

/**
 * The topics the code knows, by their key in {@code infra/kafka/topics.properties}. Names, partitions and
 * configs come from that file through {@link TopicCatalog}; a test fails when the two drift apart.
 */
public enum Topic {
    WORKSTATION("workstation"),
    PRESENCE("presence"),
    ACTIVITY("activity"),
    AGENTS("agents"),
    CHECKINS("checkins"),
    ROSTER("roster"),
    AUDIT("audit");

    private final String key;

    Topic(String key) {
        this.key = key;
    }

    /** The key of this topic in {@code topics.properties}. */
    public String key() {
        return key;
    }

    /** The topic's name on the broker. */
    public String topicName() {
        return TopicCatalog.standard().get(this).name();
    }
}
