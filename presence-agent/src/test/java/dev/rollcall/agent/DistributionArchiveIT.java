package dev.rollcall.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution archives `package` makes (maven-assembly-plugin, src/assembly/dist.xml): the zip holds the JVM
 * build, the launcher, every service and install file and the README; the tar.gz, unpacked with the system's tar,
 * runs: its launcher is executable and prints this version.
 */
class DistributionArchiveIT {

    static final String DIST = System.getProperty("rollcall.agent.dist");
    static final String VERSION = System.getProperty("rollcall.project.version", "0.1.0-SNAPSHOT");

    static final List<String> FILES = List.of("README.md", "bin/presence-agent", "quarkus-app/quarkus-run.jar",
            "dist/presence-agent.service", "dist/agent.env.example",
            "dist/presence-agent-workstation.service", "dist/workstation.env.example", "dist/rollcall-workstation.desktop",
            "dist/install-workstation-task.ps1", "dist/run-hidden.vbs");

    @TempDir
    Path dir;

    @Test
    void theZipHoldsTheAppTheLauncherTheUnitsAndTheReadme() throws Exception {
        Path zip = Path.of(DIST + ".zip");
        assertThat(zip).as("made by package").exists();
        String base = "presence-agent-" + VERSION + "/";
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (String f : FILES) {
                ZipEntry e = z.getEntry(base + f);
                assertThat(e).as(base + f).isNotNull();
                assertThat(e.getSize()).as(base + f).isPositive();
            }
            assertThat(z.stream().map(ZipEntry::getName)).as("the app's libraries")
                    .anyMatch(n -> n.startsWith(base + "quarkus-app/lib/main/") && n.contains("jna-"))
                    .noneMatch(n -> n.endsWith("presence-agent.sh") || n.endsWith("presence-agent-service.xml"));
            String unit = new String(z.getInputStream(z.getEntry(base + "dist/presence-agent-workstation.service")).readAllBytes());
            assertThat(unit).contains("ExecStart=/usr/local/bin/presence-agent workstation");
        }
    }

    @Test
    void theTarballUnpacksToALauncherThatRuns() throws Exception {
        Path tgz = Path.of(DIST + ".tar.gz");
        assertThat(tgz).as("made by package").exists();
        Process tar = new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", dir.toString()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        Path home = dir.resolve("presence-agent-" + VERSION);
        for (String f : FILES) {
            assertThat(home.resolve(f)).isRegularFile();
        }
        Path launcher = home.resolve("bin/presence-agent");
        assertThat(Files.getPosixFilePermissions(launcher)).contains(PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

        // through a symbolic link, as the units' /usr/local/bin/presence-agent would be
        Path link = Files.createSymbolicLink(dir.resolve("presence-agent"), launcher);
        ProcessBuilder pb = new ProcessBuilder(link.toString(), "--version").redirectErrorStream(true);
        pb.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
        Process run = pb.start();
        String out = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();
        assertThat(out).contains(VERSION);
    }
}
