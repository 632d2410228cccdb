package io.dic4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.enhance.FaceDetector;
import io.dic4j.image.Images;
import io.dic4j.infer.DicPredictor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's headless Chromium through its chromedriver, over the built-in model. It
 * uploads the example face as a person would and compares the image shown, read back from a canvas, with the CLI's
 * output ({@code examples/astronaut_sr.png}) pixel for pixel; then a text file's error. Screenshots go to
 * {@code cli/target/serve-page*.png} (docs/serve-page.png is one). Skipped, saying so, where Chromium is absent.
 */
class ServePageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("cli/target");
    /** The pixels of the image element as the page shows them, RGBA row by row, read back through a canvas. */
    private static final String SHOWN_PIXELS = """
            const img = document.getElementById(arguments[0]);
            const c = document.createElement('canvas');
            c.width = img.naturalWidth; c.height = img.naturalHeight;
            const g = c.getContext('2d');
            g.drawImage(img, 0, 0);
            return [c.width, c.height, Array.from(g.getImageData(0, 0, c.width, c.height).data)];
            """;

    private static DicPredictor predictor;
    private static FaceDetector detector;
    private static DicServer server;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            System.err.println("ServePageBrowserTest SKIPPED: no " + CHROMIUM + " or " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "Chromium is not installed: apt-get install chromium chromium-driver");
        predictor = DicPredictor.builtIn();
        detector = FaceDetector.builtIn();
        server = DicServer.start(predictor, detector, new InetSocketAddress("127.0.0.1", 0),
                DicServer.Limits.DEFAULT, DicServer.Batching.DEFAULT);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--force-color-profile=srgb", "--window-size=1100,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
            detector.close();
            predictor.close();
        }
    }

    @Test
    void theExampleFaceShownEqualsTheClisOutput() throws Exception {
        open();
        browser.findElement(By.id("file")).sendKeys(Path.of("examples/astronaut_lr.png").toAbsolutePath()
                .toString());
        awaitState("done");
        BufferedImage expected = Images.readRgb(Path.of("examples/astronaut_sr.png"));
        assertArrayEquals(rgba(expected), shownPixels("output"), "the result shown differs from the CLI's");
        assertTrue(browser.findElement(By.id("output-caption")).getText().contains("step 4 of 4"));
        // the landmark overlay and the steps
        browser.findElement(By.id("show-landmarks")).click();
        assertEquals(68, browser.findElements(By.cssSelector("#overlay circle")).size());
        browser.findElements(By.cssSelector("#step-buttons button")).get(0).click();
        assertTrue(browser.findElement(By.id("output-caption")).getText().contains("step 1 of 4"));
        browser.findElements(By.cssSelector("#step-buttons button")).get(3).click();
        assertEquals(browser.findElement(By.id("download")).getAttribute("href"),
                browser.findElement(By.id("output")).getAttribute("src"));
        screenshot("serve-page.png", new Dimension(1000, 1180));
        screenshot("serve-page-phone.png", new Dimension(390, 844));
    }

    @Test
    void aTextFileGetsAReadableMessage() throws Exception {
        open();
        Path text = Files.createTempFile("notes", ".txt");
        try {
            Files.writeString(text, "these are notes, not a face\n");
            browser.findElement(By.id("file")).sendKeys(text.toAbsolutePath().toString());
            awaitState("error");
            String message = browser.findElement(By.id("error")).getText();
            assertTrue(message.contains("not an image dic4j can read"), message);
            assertTrue(message.contains("request body: not an image (unrecognised content)"), message);
            screenshot("serve-page-error.png", new Dimension(1000, 600));
        } finally {
            Files.delete(text);
        }
    }

    private static void open() {
        browser.manage().window().setSize(new Dimension(1000, 900));
        browser.get("http://127.0.0.1:" + server.address().getPort() + "/");
        awaitState("idle");
    }

    private static void awaitState(String state) {
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> state.equals(
                d.findElement(By.tagName("body")).getAttribute("data-state")));
    }

    private static int[] shownPixels(String id) {
        List<?> r = (List<?>) ((JavascriptExecutor) browser).executeScript(SHOWN_PIXELS, id);
        List<?> data = (List<?>) r.get(2);
        int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) data.get(i)).intValue();
        }
        return out;
    }

    private static int[] rgba(BufferedImage image) {
        int[] argb = DicServerTest.pixels(image);
        int[] out = new int[argb.length * 4];
        for (int i = 0; i < argb.length; i++) {
            out[4 * i] = (argb[i] >> 16) & 0xff;
            out[4 * i + 1] = (argb[i] >> 8) & 0xff;
            out[4 * i + 2] = argb[i] & 0xff;
            out[4 * i + 3] = 255;
        }
        return out;
    }

    /** The page from its top in a window of {@code size}. */
    private static void screenshot(String name, Dimension size) throws IOException {
        browser.manage().window().setSize(size);
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name),
                ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
