using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Relay.Plugins.Abstractions;

namespace Relay.Plugins.Hosting;

/// <summary>Loads one plugin folder into its own context: every way it can fail becomes a <see cref="PluginLoadFailure"/>.</summary>
internal static class PluginLoader
{
    public static void LoadFolder(string folder, List<LoadedPlugin> loaded, List<PluginLoadFailure> failures)
    {
        string? mainPath = FindMainAssembly(folder, out string? notFound);
        if (mainPath is null)
        {
            failures.Add(new PluginLoadFailure(folder, notFound!));
            return;
        }

        PluginLoadContext context;
        try
        {
            context = new PluginLoadContext(mainPath);
        }
        catch (InvalidOperationException e)
        {
            // The host's resolver refuses a component whose .deps.json lists a file that is not there.
            failures.Add(new PluginLoadFailure(folder, DescribeMissingFiles(mainPath) ?? $"Its dependencies cannot be resolved ({e.Message}). Copy the plugin's whole build output into the folder."));
            return;
        }

        int before = loaded.Count;
        LoadInto(context, folder, mainPath, loaded, failures);
        if (loaded.Count == before)
        {
            context.Unload();
        }
    }

    private static void LoadInto(PluginLoadContext context, string folder, string mainPath, List<LoadedPlugin> loaded, List<PluginLoadFailure> failures)
    {
        Type[] types;
        try
        {
            Assembly assembly = context.LoadFromAssemblyPath(mainPath);
            types = assembly.GetExportedTypes();
        }
        catch (BadImageFormatException)
        {
            failures.Add(new PluginLoadFailure(folder, $"{Path.GetFileName(mainPath)} is not a .NET assembly or is damaged. Replace it with the plugin's build output."));
            return;
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or ReflectionTypeLoadException or TypeLoadException)
        {
            failures.Add(new PluginLoadFailure(folder, DescribeLoadError(mainPath, e)));
            return;
        }

        bool any = false;
        foreach (Type type in types)
        {
            if (!type.IsClass || type.IsAbstract || !typeof(IRelayPlugin).IsAssignableFrom(type))
            {
                continue;
            }

            any = true;
            if (TryCreate(type, out IRelayPlugin? instance, out PluginDescription? description, out string? error))
            {
                loaded.Add(new LoadedPlugin(instance, description, mainPath, context));
            }
            else
            {
                failures.Add(new PluginLoadFailure(folder, error));
            }
        }

        if (!any)
        {
            failures.Add(new PluginLoadFailure(folder, $"{Path.GetFileName(mainPath)} has no public class implementing {nameof(IRelayPlugin)} (built against Relay.Plugins.Abstractions {typeof(IRelayPlugin).Assembly.GetName().Version}?)."));
        }
    }

    // A plugin is foreign code: whatever its constructor or Description throws is reported, never fatal.
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A broken plugin must not stop the host.")]
    private static bool TryCreate(Type type, [NotNullWhen(true)] out IRelayPlugin? instance, [NotNullWhen(true)] out PluginDescription? description, [NotNullWhen(false)] out string? error)
    {
        instance = null;
        description = null;
        try
        {
            instance = (IRelayPlugin)Activator.CreateInstance(type)!;
            description = instance.Description;
        }
        catch (MissingMethodException)
        {
            error = $"{type.FullName} has no public parameterless constructor, which the host needs to create it.";
            return false;
        }
        catch (TargetInvocationException e) when (e.InnerException is FileNotFoundException or FileLoadException)
        {
            // The constructor was the first code to touch a dependency that is not there.
            error = DescribeLoadError(type.Assembly.Location, e.InnerException);
            return false;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            error = $"{type.FullName}'s constructor threw {e.InnerException.GetType().Name}: {e.InnerException.Message}";
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            error = DescribeLoadError(type.Assembly.Location, e);
            return false;
        }
        catch (Exception e)
        {
            error = $"{type.FullName} failed when created: {e.GetType().Name}: {e.Message}";
            return false;
        }

        if (description is null || string.IsNullOrWhiteSpace(description.Name) || description.Settings is null)
        {
            error = $"{type.FullName} describes itself without a name or settings list; the host cannot configure it.";
            return false;
        }

        error = null;
        return true;
    }

    private static string? FindMainAssembly(string folder, out string? notFound)
    {
        notFound = null;
        string named = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
        if (File.Exists(named))
        {
            return named;
        }

        string[] deps = Directory.GetFiles(folder, "*.deps.json");
        if (deps.Length == 1)
        {
            string fromDeps = deps[0][..^".deps.json".Length] + ".dll";
            if (File.Exists(fromDeps))
            {
                return fromDeps;
            }
        }

        string[] dlls = Directory.GetFiles(folder, "*.dll");
        if (dlls.Length == 1)
        {
            return dlls[0];
        }

        notFound = $"No plugin assembly found: expected {Path.GetFileName(named)} (a plugin folder holds one plugin, its dll named like the folder).";
        return null;
    }

    private static string DescribeLoadError(string mainPath, Exception e)
    {
        Exception first = e is ReflectionTypeLoadException typeLoad
            ? typeLoad.LoaderExceptions.FirstOrDefault(static x => x is not null) ?? e
            : e;
        string? missing = first switch
        {
            FileNotFoundException f => f.FileName,
            FileLoadException f => f.FileName,
            _ => null,
        };
        return missing is not null
            ? $"{Path.GetFileName(mainPath)} needs {missing}, which is not in its folder and not part of the host. Copy the plugin's whole build output into the folder."
            : $"{Path.GetFileName(mainPath)} cannot be loaded: {first.GetType().Name}: {first.Message}";
    }

    // Names the runtime files a plugin's .deps.json lists that its folder lacks, for a clearer message than the resolver's.
    private static string? DescribeMissingFiles(string mainPath)
    {
        string depsPath = Path.ChangeExtension(mainPath, ".deps.json");
        if (!File.Exists(depsPath))
        {
            return null;
        }

        try
        {
            using JsonDocument deps = JsonDocument.Parse(File.ReadAllText(depsPath));
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            if (deps.RootElement.TryGetProperty("targets", out JsonElement targets))
            {
                foreach (JsonProperty target in targets.EnumerateObject())
                {
                    foreach (JsonProperty library in target.Value.EnumerateObject())
                    {
                        if (!library.Value.TryGetProperty("runtime", out JsonElement runtime))
                        {
                            continue;
                        }

                        foreach (JsonProperty asset in runtime.EnumerateObject())
                        {
                            string file = Path.GetFileName(asset.Name);
                            if (!File.Exists(Path.Combine(Path.GetDirectoryName(mainPath)!, file)))
                            {
                                missing.Add(file);
                            }
                        }
                    }
                }
            }

            return missing.Count == 0
                ? null
                : $"{Path.GetFileName(mainPath)} needs {string.Join(", ", missing)}, which its .deps.json lists but its folder lacks. Copy the plugin's whole build output into the folder.";
        }
        catch (JsonException)
        {
            return $"{Path.GetFileName(depsPath)} is not valid JSON. Replace the folder with the plugin's build output.";
        }
    }
}
