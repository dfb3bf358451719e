package io.retraintrigger.security;

import io.retraintrigger.config.AuthConfig;
import io.retraintrigger.config.ConfigurationError;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP Basic users: {@code admin} with every role, and the configured ones. The admin password
 * comes from the environment or, on first start, is generated, printed once and kept in a file
 * readable by the owner only.
 */
public final class BasicUsers {
    public static final Set<String> ALL_ROLES = Set.of("viewer", "ingester", "operator", "approver", "evaluator");
    private static final Logger LOG = Logger.getLogger(BasicUsers.class);

    private record Entry(byte[] password, Set<String> roles) {
    }

    private final Map<String, Entry> users = new HashMap<>();

    public BasicUsers(AuthConfig config) {
        String admin = config.adminPassword().filter(p -> !p.isBlank()).orElseGet(() -> generatedPassword(Path.of(config.passwordFile())));
        users.put("admin", new Entry(admin.getBytes(StandardCharsets.UTF_8), ALL_ROLES));
        config.users().forEach((name, u) -> {
            for (String r : u.roles()) {
                if (!ALL_ROLES.contains(r)) {
                    throw new ConfigurationError("retrain.auth.users." + name + ".roles", "unknown role '" + r + "'; roles: " + ALL_ROLES);
                }
            }
            users.put(name, new Entry(u.password().getBytes(StandardCharsets.UTF_8), Set.copyOf(u.roles())));
        });
    }

    /** The user's roles if the password is right. */
    public Optional<Set<String>> authenticate(String user, char[] password) {
        Entry e = users.get(user);
        byte[] given = new String(password).getBytes(StandardCharsets.UTF_8);
        // Compare in constant time, also for unknown users.
        boolean ok = MessageDigest.isEqual(e == null ? new byte[0] : e.password(), given) && e != null;
        return ok ? Optional.of(e.roles()) : Optional.empty();
    }

    private static String generatedPassword(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            byte[] raw = new byte[18];
            new SecureRandom().nextBytes(raw);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            LOG.warnf("Generated the password of user 'admin' (shown once; kept in %s): %s", file.toAbsolutePath(), password);
            return password;
        } catch (IOException e) {
            throw new ConfigurationError("retrain.auth.password-file", "cannot read or write " + file + ": " + e.getMessage());
        }
    }
}
