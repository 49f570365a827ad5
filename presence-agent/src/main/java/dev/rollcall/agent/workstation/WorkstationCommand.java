package dev.rollcall.agent.workstation;

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
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationSessionKind;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * {@code presence-agent workstation}: the workstation collector. Runs in the user's session, reports
 * {@code working}/{@code stopped} from the OS's input idle time and the session's lock, suspend, logon and
 * logoff, through the same outbox, credential and shipper as the network collector.
 */
@Command(
        name = "workstation",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        defaultValueProvider = ConfigDefaults.class,
        sortOptions = false,
        showDefaultValues = true,
        usageHelpAutoWidth = true,
        description = {
            "Runs in the user's desktop session and reports whether the user is working at this workstation: "
                    + "working while there was keyboard or mouse input within --idle-after, stopped after that, "
                    + "and stopped at once on lock, suspend, logoff or shutdown. Only how long ago the last input "
                    + "was, never which keys, windows or screen contents.",
            "Every option's default comes from agent.<option> in application.properties, or the environment "
                    + "variable AGENT_<OPTION> (e.g. AGENT_IDLE_AFTER). Exit codes: 2 a wrong option, 3 no idle "
                    + "source on this desktop.",
            ""
        })
public class WorkstationCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(WorkstationCommand.class);
    static final int UNSUPPORTED = 3;
    /** A collector starting this soon after the machine did reports the boot too. */
    static final Duration BOOT_WINDOW = Duration.ofMinutes(5);
    static final String ALIVE_FILE = "agent-alive.txt";

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", description = "workstation-ingest's base URL (https)")
    String server;

    @Option(names = "--credential-file", paramLabel = "PATH",
            description = "file holding the agent's credential <agentId>.<secret>, as presence-agent enroll writes it "
                    + "(by default in the user's ~/.rollcall-agent); owner-only (chmod 600)")
    Path credentialFile;

    @Option(names = "--site", paramLabel = "ID", description = "the site this workstation belongs to")
    String site;

    @Option(names = "--idle-after", paramLabel = "DURATION",
            description = "no input for this long means stopped")
    String idleAfter;

    @Option(names = "--poll", paramLabel = "DURATION", description = "how often the idle time is read")
    String poll;

    @Option(names = "--resend", paramLabel = "DURATION", description = "how often the current state is sent again")
    String resend;

    @Option(names = "--heartbeat", paramLabel = "DURATION", description = "time between heartbeats")
    String heartbeat;

    @Option(names = "--idle-source", paramLabel = "SOURCE",
            description = "auto, x11 (X screen-saver extension), logind (systemd-logind session hints) or windows")
    String idleSource;

    @Option(names = "--session", paramLabel = "ID",
            description = "the logind session to watch (without it: XDG_SESSION_ID, else the user's display session)")
    String session;

    @Option(names = "--user", paramLabel = "NAME",
            description = "the user the events name (without it: DOMAIN\\name on Windows, the login name elsewhere)")
    String user;

    @Option(names = "--outbox", paramLabel = "DIR",
            description = "the durable local outbox's directory (without it: the user's state directory)")
    Path outboxDir;

    @Option(names = "--outbox-max", paramLabel = "EVENTS",
            description = "most events kept while the server is unreachable; beyond it the oldest are dropped, loudly")
    int outboxMax;

    @Option(names = "--ca-bundle", paramLabel = "PEM",
            description = "trust the server certificate's CA from this PEM file instead of the system's")
    Path caBundle;

    @Option(names = "--once", description = "read the idle time once, print it and exit: no server, no outbox")
    boolean once;

    private final AgentVersion version;

    public WorkstationCommand(AgentVersion version) {
        this.version = version;
    }

    private record Setup(AgentCredential credential, CredentialRenewal renewal, IngestClient client, ActivityTracker.Settings settings,
                         Duration heartbeat, Path outbox) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Setup setup = null;
        IdleSource source;
        try {
            ActivityTracker.Settings settings = settings();
            if (!once) {
                setup = setup(settings);
            }
            source = IdleSources.open(idleSource, session, System.getenv(), System.getProperty("os.name"),
                    System.getProperty("user.name"), settings.idleAfter().multipliedBy(2));
        } catch (UnsupportedDesktopException e) {
            err.println("presence-agent workstation: " + e.getMessage());
            err.flush();
            return UNSUPPORTED;
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        } catch (NoSuchFileException e) {
            return usageError(err, "no such file: " + e.getFile());
        } catch (AccessDeniedException e) {
            return usageError(err, "permission denied: " + e.getFile());
        } catch (IOException e) {
            return usageError(err, e.toString());
        }
        try (source) {
            return once ? readOnce(source) : run(setup, source);
        }
    }

    private ActivityTracker.Settings settings() {
        Duration idle = atLeast("--idle-after", idleAfter, Duration.ofSeconds(1));
        Duration every = atLeast("--poll", poll, Duration.ofMillis(100));
        Duration again = atLeast("--resend", resend, Duration.ofMillis(100));
        return ActivityTracker.Settings.of(idle, again, every);
    }

    private Setup setup(ActivityTracker.Settings settings) throws IOException {
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("--server is required (workstation-ingest's https:// base URL)");
        }
        if (credentialFile == null) {
            throw new IllegalArgumentException("--credential-file is required (presence-agent enroll writes one)");
        }
        Path credentialPath = credentialFile;
        if (site == null || site.isBlank()) {
            throw new IllegalArgumentException("--site is required");
        }
        if (outboxMax < 1) {
            throw new IllegalArgumentException("--outbox-max must be at least 1 event");
        }
        Duration beat = atLeast("--heartbeat", heartbeat, Duration.ofSeconds(1));
        URI base;
        try {
            base = URI.create(server.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server is not a URL: '" + server + "'");
        }
        IngestClient.endpoint(base);
        AgentCredential credential = AgentCredential.read(credentialPath);
        try {
            EventEnvelope.of(UUID.randomUUID(), "agent/" + credential.agentId(), Instant.EPOCH, site.strip(), null,
                    new WorkstationSessionChanged("someone", null, WorkstationSessionKind.LOGON));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--site: " + e.getMessage(), e);
        }
        Optional<SSLContext> trust = caBundle == null ? Optional.empty() : Optional.of(ServerTrust.fromPemBundle(caBundle));
        CredentialRenewal renewal = CredentialRenewal.of(base, credential, credentialPath, trust, "presence-agent/" + version.version());
        IngestClient client = new IngestClient(base, renewal, trust, "presence-agent/" + version.version(),
                Duration.ofSeconds(60));
        Path dir = outboxDir != null ? outboxDir : defaultOutbox(System.getProperty("os.name"), System.getenv(),
                Path.of(System.getProperty("user.home")));
        return new Setup(credential, renewal, client, settings, beat, dir);
    }

    /** Per user, as the collector runs as the user: XDG state directory on Linux, LOCALAPPDATA on Windows. */
    static Path defaultOutbox(String osName, Map<String, String> env, Path home) {
        if (osName != null && osName.startsWith("Windows") && env.get("LOCALAPPDATA") != null) {
            return Path.of(env.get("LOCALAPPDATA"), "Rollcall", "workstation-outbox");
        }
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : home.resolve(".local").resolve("state");
        return base.resolve("rollcall-agent").resolve("workstation-outbox");
    }

    private static Duration atLeast(String option, String value, Duration min) {
        Duration d = DurationOption.parse(option, value);
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(option + " must be at least " + min.toMillis() + "ms, got '" + value + "'");
        }
        return d;
    }

    private String user() {
        if (user != null && !user.isBlank()) {
            return user.strip();
        }
        return LocalUser.of(System.getProperty("os.name"), System.getenv(), System.getProperty("user.name"));
    }

    private int readOnce(IdleSource source) throws IOException {
        IdleSource.Reading r = source.read();
        PrintWriter out = spec.commandLine().getOut();
        out.println("user " + user());
        out.println("source " + source.describe());
        out.println("idle " + r.idle().toMillis() + "ms");
        out.println("locked " + (r.locked() ? "yes" : "no"));
        out.flush();
        return 0;
    }

    private MachineClocks clocks() {
        String os = System.getProperty("os.name", "");
        if (os.startsWith("Windows")) {
            return MachineClocks.windows();
        }
        return os.startsWith("Linux") ? MachineClocks.LINUX : MachineClocks.AWAKE_ONLY;
    }

    private int run(Setup setup, IdleSource source) throws Exception {
        Clock clock = Clock.systemUTC();
        AgentIdentity agent = AgentIdentity.ofThisHost(setup.credential().agentId(), site.strip(), version.version(),
                clock.instant());
        String who = user();
        try (Outbox outbox = Outbox.open(setup.outbox(), outboxMax)) {
            WorkstationCollector collector = new WorkstationCollector(source, clocks(), clock,
                    new ActivityTracker(setup.settings()), outbox,
                    new AliveMark(setup.outbox().resolve(ALIVE_FILE), WorkstationCollector.markEvery(setup.settings().poll())),
                    agent, who, setup.settings().poll(), setup.heartbeat(),
                    BOOT_WINDOW);
            Shipper shipper = new Shipper(outbox, setup.client(),
                    new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble()));
            StopSignal stop = new StopSignal();
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "presence-agent-stop"));
            // The shipper lives as long as the process, so the logoff queued at a stop still gets its chance.
            Thread.ofPlatform().name("presence-agent-shipper").daemon().start(() -> {
                try {
                    shipper.run(Sleeper.REAL, () -> true);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            });
            setup.renewal().start(() -> true);
            LOG.infof("presence-agent %s (agent %s, site %s): workstation collector for %s on %s; %s; stopped after %s "
                    + "idle, poll %s, re-send %s, heartbeat every %s; outbox %s (%d queued, max %d); shipping to %s",
                    version.version(), agent.agentId(), agent.site(), who, agent.host(), source.describe(),
                    setup.settings().idleAfter(), setup.settings().poll(), setup.settings().resendEvery(),
                    setup.heartbeat(), setup.outbox(), outbox.size(), outboxMax, setup.client().endpoint());
            try {
                collector.run(stop.sleeper(), stop::running);
            } catch (InterruptedException stopped) {
                Thread.interrupted(); // not the stop's doing (it never interrupts); stop all the same
            }
            try {
                WorkstationSessionKind end = SessionEnd.now(System.getProperty("os.name"));
                LOG.infof("stopping (%s)", end.wire());
                collector.stop(end);
                // A moment for the shipper to deliver the stop; what it cannot is queued for the next start.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (outbox.size() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stop.done();
            }
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("presence-agent workstation: " + e.getMessage());
            return 1;
        }
    }

    private int usageError(PrintWriter err, String message) {
        err.println("presence-agent workstation: " + message);
        err.println("Try 'presence-agent workstation --help' for the options.");
        err.flush();
        return 2;
    }
}
