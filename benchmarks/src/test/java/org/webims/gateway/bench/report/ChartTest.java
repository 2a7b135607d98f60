package org.webims.gateway.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

    @Test
    void drawsAPngHeadless(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("chart.png");
        Chart.Series s = new Chart.Series("a", List.of(new double[] {100, 99}, new double[] {200, 150}), Color.BLUE,
                false);
        Chart.Series p99 = new Chart.Series("a p99", List.of(new double[] {100, 2.5}, new double[] {200, 900}),
                Color.BLUE, true);
        Chart.write(png, "title", List.of(new Chart.Panel("t", "x", "y", false, true, List.of(s)),
                new Chart.Panel("l", "x", "ms", true, false, List.of(p99))), 2);
        assertTrue(Files.size(png) > 1000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
    }

    @Test
    void niceCeilings() {
        assertEquals(1, Chart.niceCeil(0.9));
        assertEquals(250, Chart.niceCeil(201));
        assertEquals(500, Chart.niceCeil(300));
        assertEquals(1000, Chart.niceCeil(1000));
    }
}
