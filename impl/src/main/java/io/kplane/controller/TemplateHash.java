package io.kplane.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kplane.model.Json;
import io.kplane.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;

/**
 * The {@code pod-template-hash} of a Deployment's template: FNV-1a (32 bit) over the template,
 * with the collisionCount mixed in when set, written as upstream writes it — the decimal digits
 * mapped through {@code rand.SafeEncodeString}'s alphabet (no vowels, no confusable characters),
 * e.g. {@code 5d8f9c7b64}. Upstream hashes Go's printed form of the struct; this hashes the
 * canonical JSON (map keys sorted), so the values differ from a real cluster's while keeping their
 * properties: stable for equal templates, different when anything in the template changes.
 */
public final class TemplateHash {
    private TemplateHash() {
    }

    public static final String LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    public static String of(PodTemplateSpec template, Integer collisionCount) {
        byte[] bytes;
        try {
            bytes = Json.jsonMapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(template);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode template: " + e.getOriginalMessage(), e);
        }
        int h = 0x811C9DC5;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        if (collisionCount != null) {
            byte[] c = Integer.toString(collisionCount).getBytes(StandardCharsets.US_ASCII);
            for (byte b : c) {
                h ^= b & 0xFF;
                h *= 0x01000193;
            }
        }
        String digits = Long.toString(h & 0xFFFFFFFFL);
        StringBuilder out = new StringBuilder(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            out.append(ALPHANUMS.charAt(digits.charAt(i) % ALPHANUMS.length()));
        }
        return out.toString();
    }
}
