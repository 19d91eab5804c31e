package io.github.blllib.autoconfigure.ui.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's {@code chromium}, headless, driven through {@code chromium-driver} (both installed by
 * {@code .ci/run}), with a fresh profile that is deleted on {@link #close()}.
 */
final class HeadlessChromium implements AutoCloseable {

	private static final Path CHROMIUM = Path.of(System.getProperty("blllib.test.chromium", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path
		.of(System.getProperty("blllib.test.chromedriver", "/usr/bin/chromedriver"));

	private final Path userDataDir;

	private final ChromeDriver driver;

	private HeadlessChromium(Path userDataDir, ChromeDriver driver) {
		this.userDataDir = userDataDir;
		this.driver = driver;
	}

	/** Skips the calling test, with the reason, when Chromium is not installed. */
	static void assumeInstalled() {
		assumeTrue(Files.isExecutable(CHROMIUM), () -> "Skipped: no Chromium at " + CHROMIUM
				+ "; install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver), as .ci/run does");
	}

	static HeadlessChromium start() throws IOException {
		assertThat(CHROMEDRIVER).as("chromedriver beside Chromium (apt-get install chromium-driver)").isExecutable();
		Path userDataDir = Files.createTempDirectory("blllib-chromium");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--user-data-dir=" + userDataDir, "--window-size=1280,900");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new HeadlessChromium(userDataDir, new ChromeDriver(service, options));
	}

	void open(String url) {
		this.driver.get(url);
	}

	/** Runs {@code script} in the page, {@code arguments[i]} being {@code arguments}' i-th. */
	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/** The text of the first element that {@code selector} matches; empty when none does. */
	String text(String selector) {
		return (String) script("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
				selector);
	}

	@Override
	public void close() throws IOException {
		this.driver.quit();
		FileSystemUtils.deleteRecursively(this.userDataDir);
	}

}
