package io.retraintrigger.api;

import io.retraintrigger.ingest.BadInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.Locale;

/**
 * The request bodies the API does not take: forms. platform-http parses form-encoded and multipart
 * bodies into a map before any route sees them, so they are refused first, by their Content-Type (every
 * POST of the API takes JSON; the event intake's parser answers the other media types itself).
 */
@ApplicationScoped
@Named("mediaTypes")
public class MediaTypes {

    public void refuseForms(Object contentType) {
        if (contentType == null) return;
        String media = contentType.toString().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals("application/x-www-form-urlencoded") || media.startsWith("multipart/")) {
            throw new BadInputException(415, "unsupported content type '" + media + "': send JSON (application/json; events also application/cloudevents+json)");
        }
    }
}
