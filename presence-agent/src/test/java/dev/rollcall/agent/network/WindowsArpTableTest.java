package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code arp -a} outputs as Windows prints them (CRLF, the console's code page), in English, German and Spanish. */
class WindowsArpTableTest {

    static String fixture(String name) throws IOException {
        return new String(Files.readAllBytes(Path.of("src/test/resources/arp-a", name)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void keepsTheDynamicUnicastEntriesOfEveryInterface() throws IOException {
        assertThat(WindowsArpTable.parse(fixture("english.txt"))).containsExactly(
                new WindowsArpTable.Entry("192.168.10.5", "192.168.10.23", "3c:22:fb:12:34:56"),
                new WindowsArpTable.Entry("192.168.10.5", "192.168.10.25", "a4:83:e7:00:11:22"), // upper case normalised
                new WindowsArpTable.Entry("172.24.64.1", "172.24.70.12", "00:15:5d:0a:3b:01"),
                new WindowsArpTable.Entry("10.8.0.2", "10.8.0.1", "02:50:f2:00:00:01"));
        // Left out: .1 static (arp -s), .26 invalid (zero MAC), broadcast and multicast, 10.8.0.300.
    }

    @Test
    void readsAGermanOutputByItsShapeAndLearnsWhichWordIsStatic() throws IOException {
        assertThat(WindowsArpTable.parse(fixture("german.txt"))).containsExactly(
                new WindowsArpTable.Entry("192.168.178.20", "192.168.178.1", "e0:28:6d:4a:9b:10"),
                new WindowsArpTable.Entry("192.168.178.20", "192.168.178.31", "f2:6b:1a:0c:77:02"),
                new WindowsArpTable.Entry("192.168.56.1", "192.168.56.101", "08:00:27:5d:11:aa"));
        // .40 is "statisch", the word of every broadcast and multicast line.
    }

    @Test
    void aCodePageWithAccentsChangesNothing() throws IOException {
        // "dinámico" / "estático" in cp850, read byte for byte
        assertThat(WindowsArpTable.parse(fixture("spanish-cp850.txt"))).containsExactly(
                new WindowsArpTable.Entry("192.168.1.34", "192.168.1.1", "98:da:c4:11:22:33"),
                new WindowsArpTable.Entry("192.168.1.34", "192.168.1.50", "5e:1f:0a:44:55:66"));
    }

    @Test
    void theOlderHeaderAndLinesBeforeAnyHeader() {
        String output = """
                  10.0.0.9              00-aa-bb-cc-dd-ee     dynamic
                Interface: 172.16.0.142 on Interface 0x2
                  Internet Address      Physical Address      Type
                  172.16.0.1            00-e0-34-c0-a1-40     dynamic
                """;
        assertThat(WindowsArpTable.parse(output)).containsExactly(
                new WindowsArpTable.Entry("172.16.0.142", "172.16.0.1", "00:e0:34:c0:a1:40"));
    }

    @Test
    void anEmptyCacheHasNoEntries() {
        assertThat(WindowsArpTable.parse("No ARP Entries Found.\r\n")).isEmpty();
        assertThat(WindowsArpTable.parse("Keine ARP-Einträge gefunden.\r\n")).isEmpty();
        assertThat(WindowsArpTable.parse("")).isEmpty();
    }
}
