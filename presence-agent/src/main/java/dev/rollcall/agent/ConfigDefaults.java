package dev.rollcall.agent;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option's default comes from the configuration key {@code agent.<long option name>}: from
 * {@code application.properties}, or overridden by an environment variable ({@code --outbox-max} is
 * {@code agent.outbox-max}, or {@code AGENT_OUTBOX_MAX}) or a system property. So a systemd unit can configure
 * the agent with an environment file, and a command line still wins over both.
 */
@Singleton
public class ConfigDefaults implements IDefaultValueProvider {

    public static final String PREFIX = "agent.";

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        return ConfigProvider.getConfig().getOptionalValue(key(option), String.class).orElse(null);
    }

    static String key(OptionSpec option) {
        return PREFIX + option.longestName().replaceFirst("^-+", "");
    }
}
