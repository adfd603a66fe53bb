hexe.ses.isolation.set({
  profile = "balanced",
  memory = "2G",
  pids = 1000,
})
