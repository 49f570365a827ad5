package dev.rollcall.agent;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

/** One run of the agent's command line, as a user sees it: what it printed where, and how it exited. */
public record AgentRun(int exitCode, String stdout, String stderr) {

    public static AgentRun launch(QuarkusMainLauncher launcher, String... args) {
        LaunchResult result = launcher.launch(args);
        return new AgentRun(result.exitCode(), result.getOutput(), result.getErrorOutput());
    }
}
