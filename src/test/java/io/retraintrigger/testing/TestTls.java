package io.retraintrigger.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS for test servers on 127.0.0.1 (Azure's SDK sends bearer tokens only over HTTPS): a self-signed
 * key pair made with the JDK's keytool on first use under target/test-tls, no key kept in the repository,
 * and this JVM's default trust store set to trust it alone.
 */
public final class TestTls {
    public static final String PASSWORD = "test-only-tls";
    private static final Path DIR = Path.of("target", "test-tls").toAbsolutePath();
    private static final Path SERVER = DIR.resolve("server.p12");
    private static final Path TRUST = DIR.resolve("trust.p12");

    private TestTls() {
    }

    /** The server key store (PKCS12, {@link #PASSWORD}), made when missing; the JVM trusts its certificate from now on. */
    public static synchronized String serverKeyStore() {
        try {
            if (!Files.exists(TRUST)) {
                Files.createDirectories(DIR);
                Files.deleteIfExists(SERVER);
                Path pem = DIR.resolve("server.pem");
                keytool("-genkeypair", "-alias", "test-server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3650", "-storetype", "PKCS12",
                        "-keystore", SERVER.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
                keytool("-exportcert", "-alias", "test-server", "-keystore", SERVER.toString(), "-storepass", PASSWORD, "-rfc", "-file", pem.toString());
                Path partial = DIR.resolve("trust.p12.tmp");
                Files.deleteIfExists(partial);
                keytool("-importcert", "-noprompt", "-alias", "test-server", "-file", pem.toString(), "-storetype", "PKCS12",
                        "-keystore", partial.toString(), "-storepass", PASSWORD);
                Files.move(partial, TRUST);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the test TLS key store under " + DIR, e);
        }
        System.setProperty("javax.net.ssl.trustStore", TRUST.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        return SERVER.toString();
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(DIR.resolve("keytool.log").toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed; see " + DIR.resolve("keytool.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
