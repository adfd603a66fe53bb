-- Everything hexe's config can say, beyond the spec's examples.
-- Check it with: hexe config check examples/hexe-full.lua

-- Every pane: user + pid + mount namespaces, a fresh /tmp, limits.
hexe.ses.isolation.set({
  profile = "balanced",
  memory = "4G",
  cpu = "200000 100000",       -- 2 cores
  pids = 2000,
  strict = false,              -- true: refuse a pane whose limits cannot apply
  ro_bind = { "/opt/tools" },  -- same path inside
})

-- Every new session: two tabs and three floats.
hexe.ses.layout.define({
  name = "default",
  enabled = true,
  floats = {
    {
      key = "1",
      title = "editor",
      command = "nvim",
      attributes = { per_cwd = true },
    },
    {
      key = "2",
      title = "notes",
      command = "nvim ~/notes.md",
      attributes = { sticky = true },
      size = { width = 60, height = 50 },
      position = { x = 35, y = 5 },
    },
    {
      key = "3",
      title = "scratch",
      attributes = { exclusive = true },
      -- no network, tight limits, for code you do not trust
      isolation = { profile = "full", memory = "512M", pids = 100 },
    },
  },
  tabs = {
    {
      name = "code",
      split = "v",             -- side by side, like split.vertical
      ratio = 0.6,
      children = {
        { command = "nvim", cwd = "~/src" },
        {
          split = "h",         -- top and bottom
          children = { { cwd = "~/src" }, { command = "htop" } },
        },
      },
    },
    { name = "shell" },
  },
})

-- `hexe mux new -l ops` starts a session with this one instead.
hexe.ses.layout.define({
  name = "ops",
  tabs = { { name = "logs", command = "journalctl -f" } },
})

hexe.mux.config.setup({
  status = { enabled = true, position = "top", fg = "black", bg = "#5fafd7" },
  border = { color = "bright_black", active_color = "green" },
  mouse = true,
  scrollback = 20000,
  prefix = "ctrl+b",          -- then: v = split.vertical, d = detach, ...
  float = { width = 80, height = 80 },
  escape_timeout = 25,
})

hexe.mux.keymap.set({
  ["ctrl+alt+q"] = "detach",
  ["alt+0"] = { "tab.goto", 1 },
  ["ctrl+alt+e"] = { "float.toggle", "1" },
  ["ctrl+alt+x"] = false,     -- pane.close only through the prefix (prefix x)
  ["ctrl+alt+g"] = function()
    -- Lua bound to a key: queue actions; a slow or failing function is
    -- stopped and reported, never a crash.
    hexe.mux.run("split.vertical")
    hexe.mux.run("zoom")
  end,
})
