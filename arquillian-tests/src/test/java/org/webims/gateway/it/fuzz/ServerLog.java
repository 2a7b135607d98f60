package org.webims.gateway.it.fuzz;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server logged while the fuzzer ran, read from a mark on: the crashes and the error records.
 *
 * <p>A crash is an {@code OutOfMemoryError} or {@code StackOverflowError} anywhere, an exception that escaped a
 * thread ("Exception in thread"), or an ERROR/SEVERE record with an unchecked JDK exception (a
 * {@code NullPointerException}, {@code IllegalStateException}, ...) whose stack trace runs through our code
 * ({@code org.webims}): a bug the input reached rather than bad input refused or an I/O failure. Other ERROR records
 * (checked exceptions such as a closed WebSocket, JAIN-SIP's or WildFly's own) are counted and listed.
 */
final class ServerLog {
    private static final Pattern EXCEPTION = Pattern.compile("\\b((?:java|javax|jakarta)\\.[\\w.]+\\.\\w*(?:Exception|Error))\\b");
    private static final Pattern RECORD = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} +(\\w+) ");
    private final Path file;
    private final long mark;

    private ServerLog(Path file, long mark) {
        this.file = file;
        this.mark = mark;
    }

    /** Marks the end of the log as it is now. */
    static ServerLog markEnd(Path file) throws IOException {
        return new ServerLog(file, Files.exists(file) ? Files.size(file) : 0);
    }

    /** The records logged since the mark (from the start of the file if it was rotated meanwhile). */
    Findings since() throws IOException {
        String text = "";
        if (Files.exists(file)) {
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long from = in.length() >= mark ? mark : 0;
                byte[] bytes = new byte[(int) Math.min(in.length() - from, 512L * 1024 * 1024)];
                in.seek(from);
                in.readFully(bytes);
                text = new String(bytes, StandardCharsets.UTF_8);
            }
        }
        return analyse(text);
    }

    static Findings analyse(String text) {
        Map<String, Integer> crashes = new LinkedHashMap<>();
        Map<String, Integer> errors = new LinkedHashMap<>();
        int warnings = 0;
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m = RECORD.matcher(line);
            boolean record = m.find();
            String level = record ? m.group(1) : "";
            if (level.equals("WARN") || level.equals("WARNING")) {
                warnings++;
            }
            if (line.contains("OutOfMemoryError") || line.contains("StackOverflowError")
                    || line.contains("Exception in thread")) {
                crashes.merge(signature(line), 1, Integer::sum);
                continue;
            }
            if (level.equals("ERROR") || level.equals("SEVERE")) {
                String ours = null;
                String bug = programmingError(line);
                for (int j = i + 1; j < lines.length && j < i + 200 && !RECORD.matcher(lines[j]).find(); j++) {
                    String t = lines[j].trim();
                    if (bug == null && !t.startsWith("at ")) {
                        bug = programmingError(t);
                    }
                    if (ours == null && t.startsWith("at ") && t.contains("org.webims.")) {
                        ours = t.replaceFirst("^at .*//", "at ");
                    }
                }
                String sig = signature(line);
                if (ours != null && bug != null) {
                    crashes.merge(sig + " | " + bug + " | " + ours, 1, Integer::sum);
                } else {
                    errors.merge(sig, 1, Integer::sum);
                }
            }
        }
        return new Findings(crashes, errors, warnings);
    }

    /** The first exception named in the text if it is an unchecked one of the JDK (a bug, not an I/O failure). */
    private static String programmingError(String text) {
        Matcher m = EXCEPTION.matcher(text);
        while (m.find()) {
            try {
                Class<?> type = Class.forName(m.group(1), false, ServerLog.class.getClassLoader());
                if (RuntimeException.class.isAssignableFrom(type) || Error.class.isAssignableFrom(type)) {
                    return m.group(1);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // not a JDK type: JAIN-SIP's own, checked
            }
        }
        return null;
    }

    /** The record without time, thread and the ids that differ between occurrences. */
    private static String signature(String line) {
        String s = line.replaceFirst("^\\d{4}-\\d{2}-\\d{2} [\\d:,]+ +", "").replaceAll("\\((?:default task|EE-|Thread|SIP)[^)]*\\) ", "")
                .replaceAll("session [\\w-]+", "session S").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "UUID")
                .replaceAll("(?<![A-Za-z])\\d+", "N").replaceAll("sip:[^ )>;]+", "sip:X");
        return s.length() > 220 ? s.substring(0, 220) : s;
    }

    /** Crash signatures and other error signatures with their counts, and the number of warnings. */
    record Findings(Map<String, Integer> crashes, Map<String, Integer> errors, int warnings) {
        int crashCount() {
            return crashes.values().stream().mapToInt(Integer::intValue).sum();
        }

        int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add("crashes in server.log (OOM, StackOverflow, escaped exceptions, ERROR through org.webims): "
                    + crashCount());
            crashes.forEach((k, v) -> out.add("   " + v + " x " + k));
            out.add("other ERROR records: " + errorCount() + "; WARN records: " + warnings);
            errors.entrySet().stream().limit(20).forEach(e -> out.add("   " + e.getValue() + " x " + e.getKey()));
            return out;
        }
    }
}
