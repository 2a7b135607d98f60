package org.webims.gateway.sip.announce;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The RIFF/WAVE files the gateway hands to the media gateway: 16-bit linear PCM, mono, written for tones, and the
 * length of any PCM WAV read from its header.
 */
public final class WavFile {
    public static final int RATE = 48000;
    private static final double LEVEL = 0.3; // of full scale per frequency: about -10 dBFS, as tones are sent

    private WavFile() {}

    /** The tone, {@code length} long, as 8 kHz 16-bit mono PCM. */
    public static byte[] tone(Tone tone, Duration length) {
        int samples = (int) (length.toMillis() * RATE / 1000);
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        double level = LEVEL / tone.frequenciesHz().size();
        for (int n = 0; n < samples; n++) {
            double value = 0;
            if (tone.onAt(n * 1000L / RATE)) {
                for (int f : tone.frequenciesHz()) {
                    value += level * Math.sin(2 * Math.PI * f * n / RATE);
                }
            }
            pcm.putShort((short) Math.round(value * Short.MAX_VALUE));
        }
        return wave(pcm.array());
    }

    static byte[] wave(byte[] pcm) {
        ByteBuffer out = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + pcm.length);
        out.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        out.putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2).putShort((short) 2)
                .putShort((short) 16);
        out.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
        return out.array();
    }

    /** How long a PCM WAV plays, from its fmt and data chunks; empty when it is not one. */
    public static Optional<Duration> length(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            ByteBuffer header = ByteBuffer.wrap(in.readNBytes(4096)).order(ByteOrder.LITTLE_ENDIAN);
            if (header.remaining() < 12 || header.getInt(0) != 0x46464952 || header.getInt(8) != 0x45564157) {
                return Optional.empty(); // "RIFF" ... "WAVE"
            }
            int byteRate = 0;
            int at = 12;
            while (at + 8 <= header.limit()) {
                int id = header.getInt(at);
                int size = header.getInt(at + 4);
                if (id == 0x20746d66 && at + 16 <= header.limit()) { // "fmt "
                    byteRate = header.getInt(at + 16);
                } else if (id == 0x61746164 && byteRate > 0) { // "data"
                    return Optional.of(Duration.ofMillis(Integer.toUnsignedLong(size) * 1000 / byteRate));
                }
                if (size < 0) {
                    return Optional.empty();
                }
                at += 8 + size + (size & 1);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
