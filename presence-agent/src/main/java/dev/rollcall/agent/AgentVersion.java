package dev.rollcall.agent;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code presence-agent --version}: the Maven project version, which Quarkus records at build time as
 * {@code quarkus.application.version} (so the native executable knows it too).
 */
@Singleton
public class AgentVersion implements IVersionProvider {

    private final String version;

    public AgentVersion(@ConfigProperty(name = "quarkus.application.version") String version) {
        this.version = version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"presence-agent " + version};
    }

    /** The bare version, as heartbeats report it. */
    public String version() {
        return version;
    }
}
