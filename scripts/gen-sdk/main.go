// Command gen-sdk writes the Node.js, Python and Go SDKs of the cen-flowlog Pulumi package from
// schema.json, offline, with the code generators of github.com/pulumi/pulumi/pkg/v3.
//
// The CLI's `pulumi package gen-sdk` asks the language host to generate (the GeneratePackage RPC),
// which the hosts that can be built here (sdk/v3 v3.62/v3.68) do not implement; pkg/v3 still holds
// the generators themselves, so this program calls them directly, the way providers shipped a
// pulumi-gen-<name> program before the CLI generated SDKs. Java is generated through the Java
// host instead (scripts/gen-sdk.sh); .NET has no generator in pkg/v3 any more.
//
// Usage: go run . -schema ../../schema.json -out ../../sdk [-lang nodejs,python,go]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "cen-flowlog gen-sdk"

// noDependencies is the schema loader: the package references no other package, and a
// reference that appears one day should fail here rather than reach for the network.
type noDependencies struct{}

func (noDependencies) refuse(name string) error {
	return fmt.Errorf("schema.json references package %q; gen-sdk resolves no other package", name)
}

func (l noDependencies) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(pkg)
}

func (l noDependencies) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l noDependencies) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(pkg)
}

func (l noDependencies) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

// bind reads and validates the schema. Each generator gets its own bound copy, because the
// generators record their language info on the package they are given.
func bind(file string) (*schema.Package, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if err := stampVersion(&spec); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noDependencies{}, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not bind: %s", file, diags.Error())
	}
	return pkg, nil
}

// stampVersion makes every SDK carry the schema's version (the npm version), so a program asks
// the engine for exactly the plugin it was generated from instead of any installed cen-flowlog.
func stampVersion(spec *schema.PackageSpec) error {
	if spec.Version == "" {
		return errors.New("no version")
	}
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	for _, lang := range []string{"nodejs", "python", "go"} {
		info := map[string]any{}
		if raw, ok := spec.Language[lang]; ok {
			if err := json.Unmarshal(raw, &info); err != nil {
				return fmt.Errorf("language.%s: %w", lang, err)
			}
		}
		info["respectSchemaVersion"] = true
		raw, err := json.Marshal(info)
		if err != nil {
			return err
		}
		spec.Language[lang] = raw
	}
	return nil
}

func generate(lang string, pkg *schema.Package) (map[string][]byte, error) {
	switch lang {
	case "nodejs":
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, noDependencies{})
	case "python":
		return python.GeneratePackage(tool, pkg, nil, noDependencies{})
	case "go":
		files, err := gogen.GeneratePackage(tool, pkg, nil)
		if err != nil {
			return nil, err
		}
		if _, ok := files["go.mod"]; !ok {
			// Without meta.supportPack the generator writes no go.mod; a replace directive in a
			// program needs one, at the module path the import base path implies.
			info, _ := pkg.Language["go"].(gogen.GoPackageInfo)
			if info.ImportBasePath == "" {
				return nil, errors.New("schema.json has no language.go.importBasePath")
			}
			files["go.mod"] = []byte(fmt.Sprintf(
				"module %s\n\ngo 1.24\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.30.0\n",
				path.Dir(info.ImportBasePath)))
		}
		return files, nil
	}
	return nil, fmt.Errorf("unknown language %q (nodejs, python or go)", lang)
}

// write replaces dir with exactly the generated files, so nothing stale survives a schema change.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run() error {
	schemaFile := flag.String("schema", "schema.json", "the package schema")
	out := flag.String("out", "sdk", "folder that receives one sub-folder per language")
	langs := flag.String("lang", "nodejs,python,go", "comma-separated languages")
	flag.Parse()

	for _, lang := range strings.Split(*langs, ",") {
		lang = strings.TrimSpace(lang)
		pkg, err := bind(*schemaFile)
		if err != nil {
			return err
		}
		files, err := generate(lang, pkg)
		if err != nil {
			return fmt.Errorf("%s SDK: %w", lang, err)
		}
		dir := filepath.Join(*out, lang)
		if err := write(dir, files); err != nil {
			return fmt.Errorf("%s SDK: %w", lang, err)
		}
		fmt.Printf("gen-sdk: %s SDK: %d files in %s\n", lang, len(files), dir)
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen-sdk: ERROR:", err)
		os.Exit(1)
	}
}
