-- Prevent builds from consuming all resources
hexe.ses.isolation.set({
  profile = "balanced",
  memory = "8G",
  cpu = "400000 100000",  -- 4 cores
  pids = 5000,
})
