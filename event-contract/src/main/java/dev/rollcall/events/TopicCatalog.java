package dev.rollcall.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The topics defined in {@code infra/kafka/topics.properties}, which the build copies next to this class.
 * Every topic inherits {@code defaults.*} and may override any of them.
 */
public final class TopicCatalog {

    private static final String RESOURCE = "topics.properties";
    private static volatile TopicCatalog standard;

    private final Map<String, TopicSpec> byKey;

    private TopicCatalog(Map<String, TopicSpec> byKey) {
        this.byKey = Collections.unmodifiableMap(byKey);
    }

    /** The catalog built into this jar. */
    public static TopicCatalog standard() {
        TopicCatalog c = standard;
        if (c == null) {
            try (InputStream in = TopicCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the event-contract jar");
                }
                c = parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            standard = c;
        }
        return c;
    }

    public static TopicCatalog load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static TopicCatalog parse(InputStream in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        TreeSet<String> keys = new TreeSet<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("topic.")) {
                int dot = name.indexOf('.', "topic.".length());
                if (dot < 0) {
                    throw new IllegalArgumentException("malformed entry '" + name + "' in " + RESOURCE);
                }
                keys.add(name.substring("topic.".length(), dot));
            } else if (!name.startsWith("defaults.")) {
                throw new IllegalArgumentException("unknown entry '" + name + "' in " + RESOURCE);
            }
        }
        Map<String, TopicSpec> specs = new LinkedHashMap<>();
        for (String key : keys) {
            String prefix = "topic." + key + ".";
            String name = p.getProperty(prefix + "name");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic " + key + " has no name in " + RESOURCE);
            }
            int partitions = Integer.parseInt(value(p, prefix, "partitions"));
            short rf = Short.parseShort(value(p, prefix, "replication.factor"));
            Map<String, String> configs = new LinkedHashMap<>();
            for (String n : new TreeSet<>(p.stringPropertyNames())) {
                if (n.startsWith("defaults.config.")) {
                    configs.put(n.substring("defaults.config.".length()), p.getProperty(n).trim());
                }
            }
            for (String n : new TreeSet<>(p.stringPropertyNames())) {
                if (n.startsWith(prefix + "config.")) {
                    configs.put(n.substring((prefix + "config.").length()), p.getProperty(n).trim());
                }
            }
            specs.put(key, new TopicSpec(key, name.trim(), partitions, rf, configs));
        }
        return new TopicCatalog(specs);
    }

    private static String value(Properties p, String prefix, String field) {
        String v = p.getProperty(prefix + field, p.getProperty("defaults." + field));
        if (v == null) {
            throw new IllegalArgumentException(prefix + field + " is not set and has no default in " + RESOURCE);
        }
        return v.trim();
    }

    /** Every topic in the file, in key order. */
    public Map<String, TopicSpec> all() {
        return byKey;
    }

    public TopicSpec get(Topic topic) {
        TopicSpec spec = byKey.get(topic.key());
        if (spec == null) {
            throw new IllegalStateException("topic '" + topic.key() + "' is not defined in " + RESOURCE);
        }
        return spec;
    }

    /** The known topics, each as it can exist on a cluster of {@code brokers}. */
    public Map<Topic, TopicSpec> forBrokers(int brokers) {
        Map<Topic, TopicSpec> m = new EnumMap<>(Topic.class);
        for (Topic t : Topic.values()) {
            m.put(t, get(t).onBrokers(brokers));
        }
        return m;
    }
}
