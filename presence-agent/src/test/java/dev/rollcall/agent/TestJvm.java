package dev.rollcall.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs a test-classpath main in a fresh JVM: the same java, the same classpath. */
public final class TestJvm {

    private TestJvm() {
    }

    public static List<String> command(Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", classpath, main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
