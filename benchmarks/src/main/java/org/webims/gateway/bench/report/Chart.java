package org.webims.gateway.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Line charts drawn with java.awt on a headless {@link BufferedImage} and written as PNG: a grid of panels, each
 * with named series of (x, y) points, linear x, linear or logarithmic y, a legend.
 */
public final class Chart {

    /** One line: its points, colour and whether it is dashed. */
    public record Series(String name, List<double[]> points, Color color, boolean dashed) {}

    /** One panel: title, axis labels, log y or not, its series; {@code diagonal} draws y = x (offered = achieved). */
    public record Panel(String title, String xLabel, String yLabel, boolean logY, boolean diagonal,
            List<Series> series) {}

    private static final int PANEL_W = 640;
    private static final int PANEL_H = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;

    private Chart() {}

    /** Draws the panels {@code columns} per row and writes the PNG. */
    public static void write(Path png, String title, List<Panel> panels, int columns) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int rows = (panels.size() + columns - 1) / columns;
        int width = PANEL_W * columns;
        int height = PANEL_H * rows + 40;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, 16, 28);
            for (int i = 0; i < panels.size(); i++) {
                int x0 = (i % columns) * PANEL_W;
                int y0 = 40 + (i / columns) * PANEL_H;
                drawPanel(g, panels.get(i), x0, y0);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static void drawPanel(Graphics2D g, Panel panel, int x0, int y0) {
        int plotX = x0 + LEFT;
        int plotY = y0 + TOP;
        int plotW = PANEL_W - LEFT - RIGHT;
        int plotH = PANEL_H - TOP - BOTTOM;
        double xMax = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : panel.series()) {
            for (double[] p : s.points()) {
                xMax = Math.max(xMax, p[0]);
                if (p[1] > 0) {
                    yMin = Math.min(yMin, p[1]);
                }
                yMax = Math.max(yMax, p[1]);
            }
        }
        if (panel.diagonal()) {
            yMax = Math.max(yMax, xMax);
        }
        xMax = niceCeil(Math.max(xMax, 1));
        Axis y = panel.logY() ? Axis.log(yMin == Double.MAX_VALUE ? 0.1 : yMin, Math.max(yMax, 1))
                : Axis.linear(niceCeil(Math.max(yMax, 1)));

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(panel.title(), plotX, y0 + 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();

        // grid and ticks
        for (double tx : linearTicks(xMax)) {
            int px = plotX + (int) Math.round(tx / xMax * plotW);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(px, plotY, px, plotY + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = number(tx);
            g.drawString(label, px - fm.stringWidth(label) / 2, plotY + plotH + 15);
        }
        for (double ty : y.ticks()) {
            int py = plotY + plotH - (int) Math.round(y.fraction(ty) * plotH);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(plotX, py, plotX + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = number(ty);
            g.drawString(label, plotX - 6 - fm.stringWidth(label), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(plotX, plotY, plotW, plotH);
        g.drawString(panel.xLabel(), plotX + plotW / 2 - fm.stringWidth(panel.xLabel()) / 2, plotY + plotH + 35);
        var old = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(panel.yLabel(), -(plotY + plotH / 2 + fm.stringWidth(panel.yLabel()) / 2), x0 + 16);
        g.setTransform(old);

        Stroke solid = new BasicStroke(2f);
        Stroke dashed = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f},
                0f);
        if (panel.diagonal()) {
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f},
                    0f));
            double top = Math.min(xMax, y.max());
            g.drawLine(plotX, plotY + plotH, plotX + (int) Math.round(top / xMax * plotW),
                    plotY + plotH - (int) Math.round(y.fraction(top) * plotH));
        }
        int legendY = plotY + 14;
        for (Series s : panel.series()) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? dashed : solid);
            int prevX = -1;
            int prevY = -1;
            for (double[] p : s.points()) {
                if (panel.logY() && p[1] <= 0) {
                    continue;
                }
                int px = plotX + (int) Math.round(p[0] / xMax * plotW);
                int py = plotY + plotH - (int) Math.round(y.fraction(Math.min(p[1], y.max())) * plotH);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                g.fillOval(px - 3, py - 3, 7, 7);
                prevX = px;
                prevY = py;
            }
            g.drawLine(plotX + 10, legendY - 4, plotX + 40, legendY - 4);
            g.setStroke(solid);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), plotX + 46, legendY);
            legendY += 15;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private record Axis(boolean log, double min, double max) {
        static Axis linear(double max) {
            return new Axis(false, 0, max);
        }

        static Axis log(double min, double max) {
            return new Axis(true, Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max))));
        }

        double fraction(double v) {
            if (!log) {
                return v / max;
            }
            return (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        }

        List<Double> ticks() {
            if (!log) {
                return linearTicks(max);
            }
            List<Double> ticks = new ArrayList<>();
            for (double t = min; t <= max * 1.0001; t *= 10) {
                ticks.add(t);
            }
            return ticks;
        }
    }

    private static List<Double> linearTicks(double max) {
        double step = niceCeil(max / 6);
        List<Double> ticks = new ArrayList<>();
        for (double t = 0; t <= max * 1.0001; t += step) {
            ticks.add(t);
        }
        return ticks;
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten not below v. */
    static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v - 1e-9) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String number(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 1 && v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2g", v);
    }
}
