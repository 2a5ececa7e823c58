package dev.pbstoolchain.plugin.mojo;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** Fetches, verifies and unpacks python-build-standalone releases (placeholder). */
@Mojo(name = "fetch", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class FetchMojo extends AbstractMojo {

  @Override
  public void execute() {
    getLog().info("pbs:fetch is not implemented yet");
  }
}
