package dev.rollcall.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution archives `package` makes (maven-assembly-plugin, src/assembly/dist.xml): the zip holds the JVM
 * build, the launcher, every service and install file (the WinSW definition well-formed, running the network
 * collector) and the README; the tar.gz, unpacked with the system's tar,
 * runs: its launcher is executable and prints this version.
 */
class DistributionArchiveIT {

    static final String DIST = System.getProperty("rollcall.agent.dist");
    static final String VERSION = System.getProperty("rollcall.project.version", "0.1.0-SNAPSHOT");

    static final List<String> FILES = List.of("README.md", "bin/presence-agent", "quarkus-app/quarkus-run.jar",
            "dist/presence-agent.service", "dist/agent.env.example",
            "dist/presence-agent-workstation.service", "dist/workstation.env.example", "dist/rollcall-workstation.desktop",
            "dist/install-workstation-task.ps1", "dist/run-hidden.vbs",
            "dist/presence-agent-service.xml", "dist/install-windows-service.ps1");

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
                    .noneMatch(n -> n.endsWith("presence-agent.sh"));
            String unit = new String(z.getInputStream(z.getEntry(base + "dist/presence-agent-workstation.service")).readAllBytes());
            assertThat(unit).contains("ExecStart=/usr/local/bin/presence-agent workstation");
            try (InputStream xml = z.getInputStream(z.getEntry(base + "dist/presence-agent-service.xml"))) {
                assertWinswRunsTheNetworkCollector(xml);
            }
            String install = new String(z.getInputStream(z.getEntry(base + "dist/install-windows-service.ps1")).readAllBytes());
            assertThat(install).contains("Read-Host -AsSecureString 'One-time enrollment code'", "'enroll'",
                    "..\\quarkus-app\\quarkus-run.jar");
        }
    }

    /**
     * The WinSW definition is well-formed XML (WinSW and the install script's {@code [xml]} both refuse anything
     * else; a double dash in a comment is enough) and runs the network collector with the neighbour method.
     */
    private static void assertWinswRunsTheNetworkCollector(InputStream in) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element service = f.newDocumentBuilder().parse(in).getDocumentElement();
        assertThat(service.getTagName()).isEqualTo("service");
        assertThat(text(service, "id")).isEqualTo("rollcall-presence-agent");
        assertThat(text(service, "executable")).isEqualTo("%BASE%\\presence-agent.exe");
        assertThat(text(service, "arguments")).isEqualTo("network");
        Map<String, String> env = new HashMap<>();
        NodeList vars = service.getElementsByTagName("env");
        for (int i = 0; i < vars.getLength(); i++) {
            Element e = (Element) vars.item(i);
            env.put(e.getAttribute("name"), e.getAttribute("value"));
        }
        assertThat(env).containsEntry("AGENT_METHOD", "neighbour")
                .containsKeys("AGENT_SERVER", "AGENT_SITE", "AGENT_SUBNET", "AGENT_CREDENTIAL_FILE", "AGENT_OUTBOX");
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        assertThat(found.getLength()).as("<%s>", tag).isEqualTo(1);
        return found.item(0).getTextContent().strip();
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
