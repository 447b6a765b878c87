# Test harness: evaluates rendered gitlab.rb files the way the Linux package does (instance_eval on
# a configuration object) and prints the resulting settings as JSON. Boot secrets read as
# "secret:<name>", so tests can tell looked-up values from literals.
require 'json'

class << File
  alias_method :original_read, :read
  def read(path, *args)
    return "secret:#{File.basename(path)}\n" if path.to_s.start_with?('/etc/gitlab/boot-secrets/')
    original_read(path, *args)
  end
end

class Settings < Hash
  def initialize
    super { |hash, key| hash[key] = Settings.new }
  end
end

class GitLabConfig
  attr_reader :settings

  def initialize
    @settings = Settings.new
  end

  def roles(list)
    @settings['roles'] = list
  end

  def external_url(url)
    @settings['external_url'] = url
  end

  def method_missing(name, *args)
    raise NoMethodError, "gitlab.rb calls #{name} with arguments" unless args.empty?
    @settings[name.to_s]
  end

  def respond_to_missing?(*)
    true
  end
end

result = {}
ARGV.each do |file|
  config = GitLabConfig.new
  config.instance_eval(File.original_read(file), file, 1)
  result[file] = config.settings
end
puts JSON.generate(result)
