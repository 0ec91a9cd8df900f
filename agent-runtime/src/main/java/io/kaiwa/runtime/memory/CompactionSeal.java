package io.kaiwa.runtime.memory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.quarkus.runtime.Startup;

/**
 * Seals a compaction's summary and kept items into the opaque {@code encrypted_content} clients see and pass back,
 * and opens it again: AES-256-GCM, bound to the tenant (another tenant's item does not open), so only this service
 * can read it and a changed byte is refused. The key is {@code kaiwa.context.key} (32 bytes, base64), else one the
 * first instance made and keeps in the database for every instance. Thread-safe.
 */
// Made at startup: reading or making the key is a blocking database call, never on a request's event loop.
@Startup
@ApplicationScoped
public class CompactionSeal {
    private static final String PREFIX = "kw1.";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AgroalDataSource database;

    @Inject
    KaiwaConfig config;

    private SecretKeySpec key;

    @PostConstruct
    void start() {
        byte[] bytes = config.context().key().filter(k -> !k.isBlank()).map(CompactionSeal::decodeKey)
                .orElseGet(this::storedKey);
        key = new SecretKeySpec(bytes, "AES");
    }

    private static byte[] decodeKey(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("kaiwa.context.key is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("kaiwa.context.key must be 32 bytes (base64 of 32 random bytes), not "
                    + bytes.length);
        }
        return bytes;
    }

    private byte[] storedKey() {
        byte[] made = new byte[32];
        RANDOM.nextBytes(made);
        try (Connection c = database.getConnection()) {
            // The first instance's key wins; every other instance reads it.
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO kaiwa_secret (name, value) VALUES "
                    + "('compaction_key', ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, Base64.getEncoder().encodeToString(made));
                insert.executeUpdate();
            }
            try (PreparedStatement read = c.prepareStatement("SELECT value FROM kaiwa_secret WHERE name = "
                    + "'compaction_key'"); ResultSet r = read.executeQuery()) {
                r.next();
                return Base64.getDecoder().decode(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read or make the compaction key: " + e.getMessage(), e);
        }
    }

    /**
     * @param tenant whose conversation it is
     * @param item a compaction held in the clear
     * @return its opaque form
     */
    public String seal(String tenant, CompactionItem item) {
        ObjectNode payload = KaiwaJson.mapper().createObjectNode().put("summary", item.summary());
        payload.set("kept", KaiwaJson.parse(KaiwaJson.toJson(item.kept())));
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(tenant.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(payload.toString().getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * @param tenant whose conversation it is said to be
     * @param item a compaction item, held in the clear or only in its opaque form
     * @param path where it is in the request, for the error
     * @return the item held in the clear (an item already in the clear as it is)
     * @throws InvalidPayloadException naming {@code <path>.encrypted_content} when it is not this service's, was
     *         changed, or belongs to another tenant
     */
    public CompactionItem open(String tenant, CompactionItem item, String path) {
        if (item.readable()) {
            return item;
        }
        String text = item.encryptedContent();
        String where = path.isEmpty() ? "encrypted_content" : path + ".encrypted_content";
        try {
            if (!text.startsWith(PREFIX)) {
                throw new InvalidPayloadException(where, "not a compaction this service made", null);
            }
            byte[] in = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
            if (in.length <= NONCE) {
                throw new InvalidPayloadException(where, "too short to be a sealed compaction", null);
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
            cipher.updateAAD(tenant.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(in, NONCE, in.length - NONCE);
            JsonNode payload = KaiwaJson.parse(plain);
            List<Item> kept = KaiwaJson.readItems(payload.path("kept"), where);
            return new CompactionItem(item.id(), payload.path("summary").asText(), kept, text, item.extra());
        } catch (IllegalArgumentException | javax.crypto.AEADBadTagException e) {
            throw new InvalidPayloadException(where, "the compaction was changed, or is not this tenant's", e);
        } catch (GeneralSecurityException e) {
            throw new InvalidPayloadException(where, "the compaction cannot be opened: " + e.getMessage(), e);
        }
    }
}
