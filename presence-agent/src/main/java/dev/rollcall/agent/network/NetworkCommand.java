package dev.rollcall.agent.network;

import dev.rollcall.agent.AgentIdentity;
import dev.rollcall.agent.AgentVersion;
import dev.rollcall.agent.AliveMark;
import dev.rollcall.agent.ConfigDefaults;
import dev.rollcall.agent.DurationOption;
import dev.rollcall.agent.Sleeper;
import dev.rollcall.agent.StopSignal;
import dev.rollcall.agent.outbox.Outbox;
import dev.rollcall.agent.ship.AgentCredential;
import dev.rollcall.agent.ship.Backoff;
import dev.rollcall.agent.ship.CredentialRenewal;
import dev.rollcall.agent.ship.IngestClient;
import dev.rollcall.agent.ship.ServerTrust;
import dev.rollcall.agent.ship.Shipper;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventEnvelope;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;

/**
 * {@code presence-agent network}: the network collector. Scans the office subnets for devices, queues their
 * state changes and heartbeats in the outbox, and ships them to workstation-ingest.
 */
@Command(
        name = "network",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        defaultValueProvider = ConfigDefaults.class,
        sortOptions = false,
        showDefaultValues = true,
        usageHelpAutoWidth = true,
        description = {
            "Watches the office LAN for devices (phones on the Wi-Fi): sweeps the subnets every interval, reads "
                    + "the kernel's ARP/neighbour table, and reports each device going online or offline, plus a "
                    + "heartbeat listing the devices online. Events wait in a durable local outbox until "
                    + "workstation-ingest acknowledges them.",
            "Every option's default comes from agent.<option> in application.properties, or the environment "
                    + "variable AGENT_<OPTION> (e.g. AGENT_OUTBOX_MAX).",
            ""
        })
public class NetworkCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(NetworkCommand.class);
    /** Asked for by the shutdown hook: ends the main thread's sleeps, never interrupts it. */
    private final StopSignal stop = new StopSignal();
    static final String MEMORY_FILE = "network-devices.txt";
    static final String ALIVE_FILE = "agent-alive.txt";
    /** How long a stop waits for the shipper to deliver the stopping heartbeat. */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", description = "workstation-ingest's base URL (https)")
    String server;

    @Option(names = "--credential-file", paramLabel = "PATH",
            description = "file holding the agent's credential <agentId>.<secret> (presence-agent enroll writes it); "
                    + "owner-only (chmod 600)")
    Path credentialFile;

    @Option(names = "--site", paramLabel = "ID", description = "the site this agent serves")
    String site;

    @Option(names = "--subnet", paramLabel = "CIDR", split = ",",
            description = "IPv4 subnet to sweep, e.g. 192.168.10.0/24; repeatable")
    List<String> subnets;

    @Option(names = "--interface", paramLabel = "NAME",
            description = "the interface the subnets are on (without it: found from the subnets)")
    String interfaceName;

    @Option(names = "--allow-large", description = "allow sweeping more than a /22 (1022 hosts), up to a /16")
    boolean allowLarge;

    @Option(names = "--interval", paramLabel = "DURATION", description = "time between scans")
    String interval;

    @Option(names = "--offline-after", paramLabel = "SCANS",
            description = "consecutive missed scans before a device is offline")
    int offlineAfter;

    @Option(names = "--heartbeat", paramLabel = "DURATION",
            description = "time between heartbeats")
    String heartbeat;

    @Option(names = "--outbox", paramLabel = "DIR", description = "the durable local outbox's directory")
    Path outboxDir;

    @Option(names = "--outbox-max", paramLabel = "EVENTS",
            description = "most events kept while the server is unreachable; beyond it the oldest are dropped, "
                    + "loudly")
    int outboxMax;

    @Option(names = "--ca-bundle", paramLabel = "PEM",
            description = "trust the server certificate's CA from this PEM file instead of the system's")
    Path caBundle;

    @Option(names = "--method", paramLabel = "METHOD",
            description = "auto (arp-scan when installed and permitted, else neighbour), neighbour (pure Java, "
                    + "unprivileged; Linux and Windows) or arp-scan (Linux only)")
    String method;

    @Option(names = "--settle", paramLabel = "DURATION",
            description = "how long a sweep waits for ARP answers (without it: from the kernel's ARP timers, "
                    + "8.5s with Linux's and Windows' defaults)")
    String settle;

    @Option(names = "--once", description = "scan once, print the devices seen (ip mac) and exit: no server, no outbox")
    boolean once;

    private final AgentVersion version;

    public NetworkCommand(AgentVersion version) {
        this.version = version;
    }

    /** The exit code on a system the collector cannot scan from, as the workstation collector's on a desktop it cannot read. */
    static final int UNSUPPORTED = 3;

    /**
     * The neighbour table of this system ({@link NeighbourReader#forSystem}); elsewhere the line saying so, printed,
     * and empty: the caller exits {@link #UNSUPPORTED} at once, before any option is checked, so a service manager
     * does not restart a collector that can never scan for a reason that looks like a configuration mistake.
     */
    static Optional<NeighbourReader> readerOrRefuse(String osName, PrintWriter err) {
        Optional<NeighbourReader> reader = NeighbourReader.forSystem(osName);
        if (reader.isEmpty()) {
            err.println("presence-agent network: the network collector runs on Linux and Windows only (it reads the "
                    + "neighbour table: /proc/net/arp on Linux, arp -a on Windows), not on "
                    + (osName == null || osName.isBlank() ? "this system" : osName) + "; see the presence-agent README");
            err.flush();
        }
        return reader;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Optional<NeighbourReader> neighbours = readerOrRefuse(System.getProperty("os.name"), err);
        if (neighbours.isEmpty()) {
            return UNSUPPORTED;
        }
        List<ScanTarget> targets;
        DeviceSweep sweep;
        Setup setup = null;
        try {
            targets = targets();
            Duration settleTime = settle == null || settle.isBlank() ? null : DurationOption.parse("--settle", settle);
            // the wait for ARP to settle ends, as the loop's sleep does, when a stop is asked for
            sweep = sweep(targets, neighbours.get(), method, ArpScanSweep.find(System.getenv("PATH")), settleTime, stop.sleeper());
            if (!once) {
                setup = setup();
            }
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        } catch (NoSuchFileException e) {
            return usageError(err, "no such file: " + e.getFile());
        } catch (AccessDeniedException e) {
            return usageError(err, "permission denied: " + e.getFile());
        } catch (IOException e) {
            return usageError(err, e.toString());
        }
        return once ? scanOnce(sweep) : run(setup, sweep);
    }

    private record Setup(AgentCredential credential, CredentialRenewal renewal, IngestClient client, Duration interval,
                         Duration heartbeat) {
    }

    private List<ScanTarget> targets() throws IOException {
        if (subnets == null || subnets.stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException("--subnet is required (e.g. --subnet 192.168.10.0/24)");
        }
        List<Subnet> parsed = subnets.stream().filter(s -> !s.isBlank()).map(Subnet::parse).distinct().toList();
        Subnet.checkSize(parsed, allowLarge);
        return ScanTargets.resolve(parsed, interfaceName);
    }

    /**
     * The sweep for {@code --method}: {@code neighbour} reads this system's table; {@code arp-scan} is Linux only
     * (raw sockets, and the tool); {@code auto} prefers arp-scan where it can be, on Linux, when installed.
     */
    static DeviceSweep sweep(List<ScanTarget> targets, NeighbourReader neighbours, String method,
                             Optional<Path> arpScan, Duration settle) {
        return sweep(targets, neighbours, method, arpScan, settle, Sleeper.REAL);
    }

    /** The same, waiting for ARP to settle with {@code settling} (the stop's sleeper, when it runs as a service). */
    static DeviceSweep sweep(List<ScanTarget> targets, NeighbourReader neighbours, String method,
                             Optional<Path> arpScan, Duration settle, Sleeper settling) {
        String m = method == null ? "auto" : method.strip();
        if (!List.of("auto", "neighbour", "arp-scan").contains(m)) {
            throw new IllegalArgumentException("--method must be auto, neighbour or arp-scan, got '" + m + "'");
        }
        boolean linux = neighbours instanceof LinuxNeighbourReader;
        if (m.equals("arp-scan")) {
            if (!linux) {
                throw new IllegalArgumentException("--method arp-scan runs on Linux only; use --method neighbour "
                        + "(which auto also picks here)");
            }
            return new ArpScanSweep(arpScan.orElseThrow(() -> new IllegalArgumentException(
                    "--method arp-scan, but arp-scan is not installed")), targets);
        }
        if (neighbours instanceof LinuxNeighbourReader l && !Files.isReadable(l.table())) {
            throw new IllegalArgumentException("the neighbour method reads Linux's " + l.table()
                    + ", which this system does not have");
        }
        DeviceSweep neighbour = new NeighbourSweep(targets, settle, neighbours, settling);
        return m.equals("auto") && linux && arpScan.isPresent()
                ? new FallbackSweep(new ArpScanSweep(arpScan.get(), targets), neighbour)
                : neighbour;
    }

    private Setup setup() throws IOException {
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("--server is required (workstation-ingest's https:// base URL)");
        }
        if (credentialFile == null) {
            throw new IllegalArgumentException("--credential-file is required");
        }
        if (site == null || site.isBlank()) {
            throw new IllegalArgumentException("--site is required");
        }
        if (outboxDir == null) {
            throw new IllegalArgumentException("--outbox is required (a directory the agent owns)");
        }
        if (offlineAfter < 1) {
            throw new IllegalArgumentException("--offline-after must be at least 1 scan");
        }
        if (outboxMax < 1) {
            throw new IllegalArgumentException("--outbox-max must be at least 1 event");
        }
        Duration every = positive("--interval", interval);
        Duration beat = positive("--heartbeat", heartbeat);
        URI base;
        try {
            base = URI.create(server.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server is not a URL: '" + server + "'");
        }
        IngestClient.endpoint(base);
        if (!Files.exists(credentialFile)) {
            throw new IllegalArgumentException("no such file: " + credentialFile + "; enroll this agent first "
                    + "(presence-agent enroll --server URL --code CODE), or give --credential-file");
        }
        AgentCredential credential = AgentCredential.read(credentialFile);
        requireValidSite(site.strip(), credential.agentId());
        Optional<SSLContext> trust = caBundle == null ? Optional.empty() : Optional.of(ServerTrust.fromPemBundle(caBundle));
        CredentialRenewal renewal = CredentialRenewal.of(base, credential, credentialFile, trust, "presence-agent/" + version.version());
        IngestClient client = new IngestClient(base, renewal, trust, "presence-agent/" + version.version(),
                Duration.ofSeconds(60));
        return new Setup(credential, renewal, client, every, beat);
    }

    /** The contract owns the rules for site ids: build one throw-away envelope to fail now, not at the first event. */
    private static void requireValidSite(String site, String agentId) {
        try {
            EventEnvelope.of(UUID.randomUUID(), "agent/" + agentId, Instant.EPOCH, site, null,
                    new DeviceStateChanged("02:00:00:00:00:01", null, DeviceState.ONLINE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--site: " + e.getMessage(), e);
        }
    }

    private static Duration positive(String option, String value) {
        Duration d = DurationOption.parse(option, value);
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(option + " must be at least 1s, got '" + value + "'");
        }
        return d;
    }

    private int scanOnce(DeviceSweep sweep) throws IOException, InterruptedException {
        LOG.infof("scanning once: %s", sweep.describe());
        List<Sighting> seen = new ArrayList<>(sweep.scan());
        seen.sort(Comparator.comparing((Sighting s) -> Integer.toUnsignedLong(Subnet.parse(s.ip() + "/32").network()))
                .thenComparing(Sighting::mac));
        PrintWriter out = spec.commandLine().getOut();
        seen.forEach(s -> out.println(s.ip() + " " + s.mac()));
        out.flush();
        return 0;
    }

    private int run(Setup setup, DeviceSweep sweep) throws Exception {
        Clock clock = Clock.systemUTC();
        AgentIdentity agent = AgentIdentity.ofThisHost(setup.credential().agentId(), site.strip(), version.version(),
                clock.instant());
        try (Outbox outbox = Outbox.open(outboxDir, outboxMax)) {
            RememberedDevices memory = new RememberedDevices(outboxDir.resolve(MEMORY_FILE));
            PresenceTracker tracker = new PresenceTracker(offlineAfter, memory.load());
            NetworkCollector collector = new NetworkCollector(sweep, tracker, memory,
                    new AliveMark(outboxDir.resolve(ALIVE_FILE), Duration.ZERO), outbox, agent, clock,
                    setup.interval(), setup.heartbeat());
            Shipper shipper = new Shipper(outbox, setup.client(),
                    new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble()));

            Runtime.getRuntime().addShutdownHook(new Thread(stop, "presence-agent-stop"));
            // The shipper lives as long as the process, so the stopping heartbeat still gets its chance.
            Thread.ofPlatform().name("presence-agent-shipper").daemon().start(() -> {
                try {
                    shipper.run(Sleeper.REAL, () -> true);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            });
            setup.renewal().start(stop::running);
            LOG.infof("presence-agent %s (agent %s, site %s): %s every %s, offline after %d missed scans, "
                    + "heartbeat every %s; outbox %s (%d queued, max %d); shipping to %s", version.version(),
                    agent.agentId(), agent.site(), sweep.describe(), setup.interval(), offlineAfter, setup.heartbeat(),
                    outboxDir, outbox.size(), outboxMax, setup.client().endpoint());
            try {
                collector.run(stop.sleeper(), stop::running);
            } catch (InterruptedException stopped) {
                Thread.interrupted(); // not the stop's doing (it never interrupts); stop all the same
            }
            try {
                LOG.info("stopping");
                collector.stop();
                // A moment for the shipper to deliver the stopping heartbeat; what it cannot ships at the next start.
                long deadline = System.nanoTime() + STOP_GRACE.toNanos();
                while (outbox.size() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                LOG.errorf("cannot queue the stopping heartbeat: %s", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stop.done();
            }
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("presence-agent network: " + e.getMessage());
            return 1;
        }
    }

    private int usageError(PrintWriter err, String message) {
        err.println("presence-agent network: " + message);
        err.println("Try 'presence-agent network --help' for the options.");
        err.flush();
        return 2;
    }
}
