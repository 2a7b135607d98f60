package org.webims.gateway.sip.announce;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The gateway's own tones and announcements (TS 22.228 §11.2) and which failure plays what. Files the media gateway
 * reads: tones synthesised from the tone plan, spoken announcements shipped in the product (generated at build time
 * with espeak-ng and sox, {@code /announcements/<cause>.wav} on the class path), each replaceable by the operator's
 * {@code <cause>.wav} in {@code gateway.announcements.dir}. All are written under a work directory when the gateway
 * starts, so that rtpengine (on this host, or with that directory mounted) can open them by path.
 */
public final class Announcements {
    private static final Logger LOG = Logger.getLogger(Announcements.class.getName());
    /** The longest a tone plays before the final response. */
    static final Duration TONE_LENGTH = Duration.ofSeconds(4);

    /**
     * @param plan       the tone plan ({@code gateway.tones.plan})
     * @param onFailure  what each cause plays ({@code gateway.announcements.on-failure}, over the defaults)
     * @param operatorDir the operator's files, or null ({@code gateway.announcements.dir})
     * @param workDir    where the files the media gateway plays are written
     * @param settle     how long after the 183 the playback starts: ICE and DTLS-SRTP of the client's media must be up
     *                   first, or the start is lost ({@code gateway.announcements.settle-ms})
     */
    public record Settings(TonePlan plan, Map<FailureCause, Playback> onFailure, Path operatorDir, Path workDir,
            Duration settle, Path musicOnHold) {
        public Settings {
            onFailure = Map.copyOf(onFailure);
        }

        /** Without music on hold. */
        public Settings(TonePlan plan, Map<FailureCause, Playback> onFailure, Path operatorDir, Path workDir,
                Duration settle) {
            this(plan, onFailure, operatorDir, workDir, settle, null);
        }
    }

    private final Settings settings;
    private final Map<FailureCause, Path> tones;
    private final Map<FailureCause, Path> defaults;
    private final Path warning;

    private Announcements(Settings settings, Map<FailureCause, Path> tones, Map<FailureCause, Path> defaults,
            Path warning) {
        this.settings = settings;
        this.tones = tones;
        this.defaults = defaults;
        this.warning = warning;
    }

    /** Nothing is ever played: failures are answered at once. */
    public static Announcements none() {
        return new Announcements(null, Map.of(), Map.of(), null);
    }

    /** By default a tone for busy and congestion, an announcement for the other causes (so any client learns why). */
    public static Map<FailureCause, Playback> defaultPlaybacks() {
        Map<FailureCause, Playback> playbacks = new EnumMap<>(FailureCause.class);
        for (FailureCause cause : FailureCause.values()) {
            playbacks.put(cause, cause == FailureCause.BUSY || cause == FailureCause.CONGESTION ? Playback.TONE
                    : Playback.ANNOUNCEMENT);
        }
        return playbacks;
    }

    /** {@code busy=tone,not-found=none,...} over the defaults; blank keeps them. */
    public static Map<FailureCause, Playback> parseOnFailure(String value) {
        Map<FailureCause, Playback> playbacks = defaultPlaybacks();
        if (value == null || value.isBlank()) {
            return playbacks;
        }
        for (String entry : value.split(",")) {
            String[] pair = entry.split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("gateway.announcements.on-failure takes cause=playback pairs, not '"
                        + entry.trim() + "'");
            }
            playbacks.put(FailureCause.ofKey(pair[0]), Playback.of(pair[1]));
        }
        return playbacks;
    }

    /** Writes the tones and the shipped announcements under the work directory. */
    public static Announcements prepare(Settings settings) throws IOException {
        Path tonesDir = Files.createDirectories(settings.workDir().resolve("tones"));
        Path defaultsDir = Files.createDirectories(settings.workDir().resolve("announcements"));
        Map<FailureCause, Path> tones = new EnumMap<>(FailureCause.class);
        Map<FailureCause, Path> defaults = new EnumMap<>(FailureCause.class);
        for (FailureCause cause : FailureCause.values()) {
            Tone tone = settings.plan().toneOf(cause);
            if (tone != null) {
                Path file = tonesDir.resolve(settings.plan().name() + "-" + cause.key() + ".wav");
                Files.write(file, WavFile.tone(tone, TONE_LENGTH));
                tones.put(cause, file);
            }
            try (InputStream shipped = Announcements.class.getResourceAsStream("/announcements/" + cause.key()
                    + ".wav")) {
                if (shipped != null) {
                    Path file = defaultsDir.resolve(cause.key() + ".wav");
                    Files.copy(shipped, file, StandardCopyOption.REPLACE_EXISTING);
                    defaults.put(cause, file);
                } else {
                    LOG.warning(() -> "No shipped announcement for " + cause.key() + " in this build");
                }
            }
        }
        Path warning = tonesDir.resolve(settings.plan().name() + "-final-units.wav");
        Files.write(warning, WavFile.tone(settings.plan().warning(), Duration.ofMillis(
                settings.plan().warning().periodMs())));
        LOG.info(() -> "Tones (" + settings.plan().name() + " plan) and announcements ready in " + settings.workDir()
                + (settings.operatorDir() == null ? "" : "; the operator's in " + settings.operatorDir()));
        return new Announcements(settings, tones, defaults, warning);
    }

    /** The file to play before this final status of an originating call, if any. */
    public Optional<Path> onFailure(int status) {
        if (settings == null) {
            return Optional.empty();
        }
        return FailureCause.of(status).flatMap(cause -> switch (settings.onFailure().getOrDefault(cause,
                Playback.NONE)) {
            case TONE -> Optional.ofNullable(tones.get(cause)).or(() -> announcement(cause));
            case ANNOUNCEMENT -> announcement(cause);
            case NONE -> Optional.empty();
        });
    }

    private Optional<Path> announcement(FailureCause cause) {
        if (settings.operatorDir() != null) {
            Path own = settings.operatorDir().resolve(cause.key() + ".wav");
            if (Files.isReadable(own)) {
                return Optional.of(own.toAbsolutePath());
            }
        }
        return Optional.ofNullable(defaults.get(cause));
    }

    /** The tone played before the final units of credit run out (the plan's warning tone). */
    public Optional<Path> finalUnitsWarning() {
        return Optional.ofNullable(warning);
    }

    /**
     * The operator's music on hold ({@code gateway.announcements.music-on-hold}), played to the IMS party while the
     * WebRTC user holds the call; none when not configured or not readable.
     */
    public Optional<Path> musicOnHold() {
        return settings == null || settings.musicOnHold() == null || !Files.isReadable(settings.musicOnHold())
                ? Optional.empty() : Optional.of(settings.musicOnHold().toAbsolutePath());
    }

    /** How long after the early media answer the playback starts. */
    public Duration settle() {
        return settings == null ? Duration.ZERO : settings.settle();
    }
}
