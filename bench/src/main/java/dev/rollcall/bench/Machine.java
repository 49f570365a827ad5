package dev.rollcall.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** The machine and versions the table is headed with, read where the bench runs. */
record Machine(int cores, String cpu, double memoryGiB, String os, String jdk, String quarkus, String kafka, String rollcall) {

    static Machine here() {
        Properties versions = new Properties();
        try (InputStream in = Machine.class.getResourceAsStream("/bench-versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String cpu = procLine("/proc/cpuinfo", "model name").map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        double mem = procLine("/proc/meminfo", "MemTotal").map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0).orElse(0.0);
        String os = osName() + " (kernel " + System.getProperty("os.version") + ", " + System.getProperty("os.arch") + ")";
        String jdk = Runtime.version().feature() + " (" + System.getProperty("java.vm.vendor") + " " + Runtime.version() + ")";
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu, mem, os, jdk, versions.getProperty("quarkus", "?"),
                versions.getProperty("kafka", "?"), versions.getProperty("rollcall", "?"));
    }

    String describe() {
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB, %s; JDK %s", cores, cpu, memoryGiB, os, jdk);
    }

    private static String osName() {
        try {
            for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (l.startsWith("PRETTY_NAME=")) {
                    return l.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // not Linux, or no os-release: the JVM's name will do
        }
        return System.getProperty("os.name");
    }

    private static Optional<String> procLine(String file, String prefix) {
        try (var lines = Files.lines(Path.of(file))) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
