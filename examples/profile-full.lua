hexe.ses.isolation.set({
  profile = "full",
  memory = "512M",
  pids = 100,
  cpu = "100000 100000",  -- 1 core max
})
