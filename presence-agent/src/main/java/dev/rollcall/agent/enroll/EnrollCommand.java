package dev.rollcall.agent.enroll;

import dev.rollcall.agent.AgentIdentity;
import dev.rollcall.agent.AgentVersion;
import dev.rollcall.agent.ConfigDefaults;
import dev.rollcall.agent.ship.CredentialFile;
import dev.rollcall.agent.ship.EnrollmentClient;
import dev.rollcall.agent.ship.ServerTrust;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLContext;

/**
 * {@code presence-agent enroll --server URL --code CODE}: exchanges a one-time enrollment code (an administrator
 * made it for one site) for this agent's own credential and stores it owner-only in the credential file that
 * {@code network} reads by default.
 */
@Command(
        name = "enroll",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        defaultValueProvider = ConfigDefaults.class,
        sortOptions = false,
        showDefaultValues = true,
        usageHelpAutoWidth = true,
        description = {
            "Exchanges a one-time enrollment code for this agent's own credential (an agent id and a secret) and "
                    + "stores it in the credential file, readable by its owner only (0600, in a 0700 directory "
                    + "when enroll creates it). The collectors read that file by default. A code works once and "
                    + "expires (24 h unless the administrator said otherwise).",
            ""
        })
public class EnrollCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", description = "workstation-ingest's base URL (https)")
    String server;

    @Option(names = "--code", paramLabel = "CODE", description = "the one-time enrollment code from the administrator")
    String code;

    @Option(names = "--credential-file", paramLabel = "PATH", description = "where to store the credential")
    Path credentialFile;

    @Option(names = "--ca-bundle", paramLabel = "PEM",
            description = "trust the server certificate's CA from this PEM file instead of the system's")
    Path caBundle;

    @Option(names = "--force", description = "replace a credential already in the file")
    boolean force;

    private final AgentVersion version;

    public EnrollCommand(AgentVersion version) {
        this.version = version;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        EnrollmentClient client;
        CredentialFile file;
        try {
            if (server == null || server.isBlank()) {
                throw new IllegalArgumentException("--server is required (workstation-ingest's https:// base URL)");
            }
            if (code == null || code.isBlank()) {
                throw new IllegalArgumentException("--code is required (ask an administrator for an enrollment code)");
            }
            if (credentialFile == null) {
                throw new IllegalArgumentException("--credential-file is required");
            }
            URI base;
            try {
                base = URI.create(server.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--server is not a URL: '" + server + "'");
            }
            Optional<SSLContext> trust = caBundle == null ? Optional.empty() : Optional.of(ServerTrust.fromPemBundle(caBundle));
            client = new EnrollmentClient(base, trust, "presence-agent/" + version.version());
            file = CredentialFile.prepare(credentialFile, force);
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        } catch (FileAlreadyExistsException e) {
            return usageError(err, e.getFile() + ": " + e.getReason());
        } catch (NoSuchFileException e) {
            return usageError(err, "no such file: " + e.getFile());
        } catch (AccessDeniedException e) {
            return usageError(err, "permission denied: " + e.getFile());
        } catch (IOException e) {
            return usageError(err, e.toString());
        }
        try {
            String host = AgentIdentity.hostName();
            EnrollmentClient.Enrolled enrolled = client.enroll(code.strip(), host);
            file.commit(enrolled.credential());
            PrintWriter out = spec.commandLine().getOut();
            out.println("Enrolled as agent " + enrolled.credential().agentId() + " of site " + enrolled.site()
                    + "; its credential is in " + file.path() + " (owner-only).");
            out.flush();
            return 0;
        } catch (EnrollmentClient.Refused e) {
            return failed(file, err, "the server refused (" + e.status() + "): " + e.getMessage());
        } catch (SSLException e) {
            return failed(file, err, "the server's certificate is not trusted (" + e.getMessage() + "); if it is signed "
                    + "by a private CA, give that CA with --ca-bundle");
        } catch (IOException e) {
            return failed(file, err, "could not reach " + client.endpoint() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(file, err, "interrupted");
        } catch (RuntimeException e) {
            return failed(file, err, e.getMessage());
        }
    }

    private static int failed(CredentialFile file, PrintWriter err, String message) {
        file.abandon();
        err.println("presence-agent enroll: " + message + "; nothing was stored");
        err.flush();
        return 1;
    }

    private static int usageError(PrintWriter err, String message) {
        err.println("presence-agent enroll: " + message);
        err.println("Try 'presence-agent enroll --help' for the options.");
        err.flush();
        return 2;
    }
}
